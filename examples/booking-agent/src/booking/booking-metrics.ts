import { Counter, type Registry } from 'prom-client';
import { TOKEN_TYPES, type Tokens } from './call-log.js';

export interface BookingMetrics {
  /** Records a finished booking's tokens under the arm `route` assigned it. */
  observe(booking: { route: string; arm: string; tokens: Tokens }): void;
  /** Creates every series of these arms at zero, so a scrape shows them before traffic. */
  zero(route: string, arms: readonly string[]): void;
  /** Counts a booking refused before it started, by reason. */
  rejected(reason: RejectionReason): void;
}

/** Why a booking was refused before it started (every one is a 503 with retry-after). */
export const REJECTION_REASONS = ['overloaded', 'shutting_down'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/**
 * The app's own per-booking metric: tokens of every call of a booking (specialists included) under
 * the orchestrator's arm, which the router's per-route token counters cannot attribute. Latency,
 * cost and outcome per booking come from the metrics package's unit series.
 */
export function createBookingMetrics(registry: Registry, prefix = 'booking_agent_'): BookingMetrics {
  const tokens = new Counter({
    name: `${prefix}booking_tokens_total`,
    help: 'Tokens of every model call of a booking, by the arm the route (orchestrator) assigned the booking, and token type.',
    labelNames: ['route', 'arm', 'type'] as const,
    registers: [registry],
  });
  const rejections = new Counter({
    name: `${prefix}bookings_rejected_total`,
    help: 'Bookings refused before they started (503 with retry-after): overloaded (more than MAX_BOOKINGS_IN_FLIGHT in progress) or shutting_down.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  for (const reason of REJECTION_REASONS) rejections.inc({ reason }, 0);
  return {
    rejected(reason) {
      rejections.inc({ reason });
    },
    observe({ route, arm, tokens: counts }) {
      for (const type of TOKEN_TYPES) tokens.inc({ route, arm, type }, counts[type]);
    },
    zero(route, arms) {
      for (const arm of arms) for (const type of TOKEN_TYPES) tokens.inc({ route, arm, type }, 0);
    },
  };
}
