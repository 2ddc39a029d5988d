export interface SpendInput {
  readonly canaryBookings: number;
  readonly canaryCostUsd: number;
  readonly controlBookings: number;
  readonly controlCostUsd: number;
}

/**
 * Extra USD the canary cost over what control would have cost for the same bookings:
 * canary cost − (control cost per booking × canary bookings). Negative when the canary is cheaper.
 * NaN when control has no bookings yet (no price to compare against).
 */
export function extraSpendUsd({ canaryBookings, canaryCostUsd, controlBookings, controlCostUsd }: SpendInput): number {
  if (controlBookings <= 0) return canaryBookings > 0 ? Number.NaN : 0;
  return canaryCostUsd - (controlCostUsd / controlBookings) * canaryBookings;
}
