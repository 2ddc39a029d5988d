import type { CallPath } from '../call/call-path.js';
import type { CallOptions } from '../call/call-types.js';
import { ERROR_CODES, ModelCanaryError } from '../errors.js';
import type { RouterEvents } from '../event-emitter.js';
import type { UnitEvent, UnitOutcome } from '../events.js';
import type { Unit, UnitCallOptions } from './unit.js';
import { UnitLedger } from './unit-ledger.js';

export interface UnitsOptions {
  readonly callPath: CallPath;
  readonly events: RouterEvents;
  readonly now: () => number;
  /** Idle time after which a unit never ended is closed as `expired` (while no call of it is in flight). */
  readonly unitTimeoutMs: number;
  /**
   * The arm a call would get, without emitting a decision (the call path emits the call's own): read in the same
   * tick as the call's decision, so both see one config snapshot.
   */
  readonly assign: (input: { route: string; key: string; forceArm?: string | undefined }) => string;
}

export interface Units {
  unit(key: string): Unit;
  /** router.close(): every unit still open is closed as `abandoned` (one `unit` event each), so none goes uncounted. */
  close(): void;
}

export const DEFAULT_UNIT_TIMEOUT_MS = 10 * 60 * 1000;

export function createUnits({ callPath, events, now, unitTimeoutMs, assign }: UnitsOptions): Units {
  const open = new Set<{ abandon(): void }>();

  function unit(key: string): Unit {
    const startedAt = now();
    let result: UnitEvent | null = null;
    let lateCallReported = false;
    const ledger = new UnitLedger(() => timer?.refresh());
    // Unref'd: an open unit never keeps the process alive. Refreshed on every call start and end.
    let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(expire, unitTimeoutMs);
    timer.unref();
    const handle = { abandon: () => finish('abandoned', 'the router was closed before the unit ended') };
    open.add(handle);

    function stop(): void {
      clearTimeout(timer);
      timer = undefined;
      open.delete(handle);
    }

    function expire(): void {
      if (ledger.inFlight > 0) timer?.refresh();
      else finish('expired', `not ended within ${unitTimeoutMs} ms of its last call`);
    }

    function finish(outcome: UnitOutcome, reason: string | undefined): UnitEvent {
      stop();
      if (ledger.inFlight > 0) {
        const n = ledger.inFlight;
        report(`unit "${key}" ${outcome === 'abandoned' ? 'was abandoned' : outcome === 'expired' ? 'expired' : 'ended'} with ${n} call${n === 1 ? '' : 's'} in flight; they are not counted in it (their call events are)`);
      }
      result = {
        type: 'unit',
        key,
        outcome,
        ...(reason === undefined ? {} : { reason }),
        startedAt,
        durationMs: now() - startedAt,
        calls: ledger.calls,
        costUsd: ledger.costUsd,
        routes: ledger.summary(),
      };
      events.emit('unit', result);
      return result;
    }

    function report(message: string): void {
      events.emit('error', { type: 'error', source: 'unit', error: new ModelCanaryError(ERROR_CODES.unitEnded, message) });
    }

    function sink(): UnitLedger | undefined {
      if (result === null) return ledger;
      if (!lateCallReported) {
        lateCallReported = true;
        report(`unit "${key}" was already ${result.outcome === 'abandoned' || result.outcome === 'expired' ? result.outcome : 'ended'}; its later calls are not counted in it`);
      }
      return undefined;
    }

    /** Routes this unit already has an arm on: the first call of each announces the assignment. */
    const assigned = new Set<string>();
    const withKey = (options: UnitCallOptions): CallOptions => {
      if (result === null && !assigned.has(options.route)) {
        // An unknown route throws here exactly as the call itself would.
        const arm = assign({ route: options.route, key, forceArm: options.forceArm });
        assigned.add(options.route);
        events.emit('unitAssignment', { type: 'unitAssignment', key, route: options.route, arm, at: now() });
      }
      return { ...options, key };
    };

    return {
      key,
      messages: {
        create: (params, options) => callPath.createWith(params, withKey(options), sink()),
        stream: (params, options) => callPath.streamWith(params, withKey(options), sink()),
      },
      get ended() {
        return result !== null;
      },
      end({ outcome, reason }) {
        if (result !== null) {
          report(`unit "${key}" ended twice (${outcome} after ${result.outcome}); the first result stands`);
          return result;
        }
        return finish(outcome, reason);
      },
    };
  }

  return {
    unit,
    close() {
      for (const handle of [...open]) handle.abandon();
    },
  };
}
