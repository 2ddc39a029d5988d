import { startService } from './service.js';
import { loadSettings, SettingsError } from './settings.js';
import { telemetryFromEnv } from './telemetry.js';

/** The service's only entry point: `pnpm start` (settings from the environment, see .env.example). */
async function main(): Promise<void> {
  const settings = loadSettings(process.env);
  // OpenTelemetry when the standard OTEL_EXPORTER_OTLP_* variables ask for it: one trace per booking.
  const telemetry = telemetryFromEnv(process.env);
  const service = await startService({ settings });
  const { logger } = service;
  process.stderr.write(
    `booking service on ${service.url} (${service.simulatorUrl === null ? 'backend anthropic: the real Anthropic API' : `backend simulator: ${service.simulatorUrl}, no real bookings`}), rollout ${settings.rolloutFile}\n`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, inFlight: service.booking.inFlight.count() }, 'draining in-flight bookings');
    // Exits once closed, drained or not: a booking still running past the drain timeout (say, the SDK waiting
    // out a long retry-after) must not keep the process alive.
    service.close().then(
      async ({ drained }) => {
        await telemetry?.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'telemetry flush failed'));
        process.exit(drained ? 0 : 1);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError) {
    const oneLine = !error.message.includes('\n');
    process.stderr.write(
      oneLine
        ? `booking service not started: ${error.message} (settings: examples/booking-agent/.env.example)\n`
        : `${error.message}\nSee examples/booking-agent/.env.example for every setting and its default.\n`,
    );
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`booking service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
