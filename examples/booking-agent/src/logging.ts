import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino censors wherever a log call passes them. Booking code never logs the request text
 * or the customer object on purpose; these paths are the net under that rule.
 */
export const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'anthropicApiKey',
  '*.anthropicApiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'headers.cookie',
  '*.headers.cookie',
  'customer',
  '*.customer',
  'name',
  'email',
  'phone',
  'cardNumber',
  '*.email',
  '*.phone',
  '*.cardNumber',
  'request',
  '*.request',
  'body',
  '*.body',
] as const;

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Where JSON lines go (stdout by default); tests pass a stream to read them back. */
  destination?: DestinationStream;
}

export function createLogger({ level = 'info', destination }: LoggerOptions = {}): Logger {
  const options = {
    level,
    base: { service: 'booking-agent' },
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/**
 * What the logs say about a free-text request instead of its text, which may carry PII: its length only. A hash
 * would be a fingerprint anyone can check a guess against ("is this the booking of …?"), across deployments.
 */
export function describeText(text: string): { chars: number } {
  return { chars: text.length };
}
