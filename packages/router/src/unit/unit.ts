import type { CallOptions, RoutedCreateParams, RoutedCreateResult, RoutedMessageStream, RoutedStreamParams } from '../call/call-types.js';
import type { UnitEvent, UnitOutcome } from '../events.js';

/** Call options inside a unit: the unit's key is implied. */
export type UnitCallOptions = Omit<CallOptions, 'key'>;

/** How the app closes a unit: the task-level result (booking confirmed, failed, invalid plan). */
export interface UnitResult {
  readonly outcome: Exclude<UnitOutcome, 'abandoned' | 'expired'>;
  readonly reason?: string;
}

/**
 * One unit of work (a booking) across routes: its calls share the unit key, so each route keeps it on one
 * arm, and `end` records the task's outcome with the unit's calls, cost and duration.
 */
export interface Unit {
  readonly key: string;
  readonly messages: {
    create(params: RoutedCreateParams, options: UnitCallOptions): RoutedCreateResult;
    stream<P extends RoutedStreamParams>(params: P, options: UnitCallOptions): RoutedMessageStream<P>;
  };
  /** True once ended by the app or closed by the router (abandoned at close, expired after its timeout). */
  readonly ended: boolean;
  /**
   * Emits the `unit` event and returns it. Ending twice (or after the router closed the unit) changes
   * nothing: it returns the first result and reports the late call through the router's `error` event.
   */
  end(result: UnitResult): UnitEvent;
}
