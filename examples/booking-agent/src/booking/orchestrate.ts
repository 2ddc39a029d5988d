import type Anthropic from '@anthropic-ai/sdk';
import type { Router, UnitEvent } from '@model-canary/router';
import pLimit from 'p-limit';
import { BookingAgentError, ERROR_TYPES } from '../errors.js';
import { describeText, type Logger } from '../logging.js';
import { modelCallHeaders, type TraceContext } from '../trace.js';
import type { BookingMetrics } from './booking-metrics.js';
import type { CallLog, Tokens } from './call-log.js';
import { toModelFailure } from './model-error.js';
import { checkPlan, type Plan, type Subtask } from './plan.js';
import { PLAN_TOOL_NAME, planBookingTool } from './plan-tool.js';
import type { Span } from '@opentelemetry/api';
import { inStep, inStepSync } from './spans.js';
import { needsReview, readReview, reviewRequest } from './verifier.js';

/** The agent types of a booking, one router route each. */
export const ROUTES = { orchestrator: 'orchestrator', specialist: 'specialist', verifier: 'verifier' } as const;

export const ORCHESTRATOR_SYSTEM =
  'You are the orchestrator of a travel booking service. Call plan_booking with one subtask per service the ' +
  'customer asked for (flights, hotel, restaurant, car), each with complete details. Use ISO dates.';

const specialistSystem = (kind: string): string =>
  `You are the ${kind} booking specialist of a travel agency. Book exactly what the details say and answer with ` +
  'one line: the confirmation with its reference.';

export type SubtaskResult = Subtask & { readonly status: 'confirmed'; readonly confirmation: string };

/** The body of a successful booking response. */
export interface Booking {
  readonly id: string;
  /** The orchestrator's arm: the arm this booking is compared under. */
  readonly arm: string;
  /** The model that served the orchestrator call: the control arm's when a fallback served a canary booking. */
  readonly model: string;
  readonly status: 'confirmed';
  /** True when the verifier reviewed and approved the itinerary (a high-stakes booking), false when none was needed. */
  readonly verified: boolean;
  readonly summary: string | null;
  readonly subtasks: readonly SubtaskResult[];
  /** Every call of the booking, from the router's unit record. */
  readonly costUsd: number;
  readonly tokens: Tokens;
  readonly durationMs: number;
  readonly traceId: string;
}

export interface OrchestratorDeps {
  readonly router: Pick<Router, 'unit'>;
  readonly callLog: CallLog;
  readonly metrics: BookingMetrics;
  readonly concurrency: number;
  readonly maxTokens: number;
  /** Bound on one whole booking: each model call gets the time left as its deadline. */
  readonly bookingTimeoutMs: number;
  /** Itineraries of this many services or more are reviewed by the verifier before confirmation. */
  readonly verifyMinServices: number;
}

export interface BookingRequest {
  readonly id: string;
  /** The customer's free text; sent to the orchestrator model, never logged. */
  readonly text: string;
  readonly trace: TraceContext;
  readonly log: Logger;
}

/** The booking's deadline, given to each of its model calls as the time left (`deadlineMs`, at least 1 ms). */
type TimeLeft = () => number;

type Unit = ReturnType<Router['unit']>;

const textOf = (message: Anthropic.Message): string =>
  message.content
    .flatMap((block) => (block.type === 'text' ? [block.text] : []))
    .join(' ')
    .trim()
    .slice(0, 300);

/** The arm the orchestrator route assigned the unit: the arm the booking is compared under. */
const orchestratorArm = (event: UnitEvent): string => event.routes.find((r) => r.route === ROUTES.orchestrator)?.arm ?? 'unknown';

/** A failure of the booking with the unit outcome it records. */
class BookingFailure {
  constructor(
    readonly outcome: 'failure' | 'invalid',
    readonly reason: string,
    readonly error: BookingAgentError | ((context: Record<string, unknown>) => BookingAgentError),
  ) {}
}

async function plan(deps: OrchestratorDeps, unit: Unit, request: BookingRequest, timeLeft: TimeLeft): Promise<Plan> {
  const { text, trace, log } = request;
  log.info({ step: 'plan', requestText: describeText(text) }, 'asking the orchestrator for a plan');
  let message: Anthropic.Message;
  try {
    message = await unit.messages.create(
      {
        max_tokens: deps.maxTokens,
        system: ORCHESTRATOR_SYSTEM,
        messages: [{ role: 'user', content: text }],
        tools: [planBookingTool],
        tool_choice: { type: 'tool', name: PLAN_TOOL_NAME },
      },
      { route: ROUTES.orchestrator, deadlineMs: timeLeft(), headers: modelCallHeaders(trace) },
    );
  } catch (error) {
    throw new BookingFailure('failure', 'orchestrator_call_failed', (context) => toModelFailure(error, 'orchestrator', context));
  }
  const toolUse = message.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === PLAN_TOOL_NAME);
  const check = toolUse === undefined ? { ok: false as const, problems: [`no ${PLAN_TOOL_NAME} call (stop_reason ${message.stop_reason})`] } : checkPlan(toolUse.input);
  if (!check.ok) {
    log.warn({ step: 'plan_rejected', problems: check.problems }, 'the orchestrator returned an invalid plan');
    throw new BookingFailure(
      'invalid',
      'invalid_plan',
      (context) =>
        new BookingAgentError(502, ERROR_TYPES.invalidPlan, `The orchestrator returned an invalid plan: ${check.problems.slice(0, 3).join('; ')}`, {
          details: { ...context, problems: check.problems },
        }),
    );
  }
  log.info({ step: 'plan_accepted', subtasks: check.plan.subtasks.map((s) => s.kind) }, 'plan accepted');
  return check.plan;
}

async function runSpecialists(deps: OrchestratorDeps, unit: Unit, request: BookingRequest, subtasks: readonly Subtask[], timeLeft: TimeLeft): Promise<SubtaskResult[]> {
  const { trace, log } = request;
  const abort = new AbortController();
  const limit = pLimit(deps.concurrency);
  const settled = await Promise.allSettled(
    subtasks.map((subtask, index) =>
      limit(async (): Promise<SubtaskResult> => {
        abort.signal.throwIfAborted();
        log.info({ step: 'specialist', index, kind: subtask.kind }, 'dispatching specialist');
        try {
          // Streamed, so the router observes time to first token per arm; the final message carries the
          // usage of the last message_delta, which is what the router prices.
          const message = await unit.messages
            .stream(
              {
                max_tokens: deps.maxTokens,
                system: specialistSystem(subtask.kind),
                messages: [{ role: 'user', content: JSON.stringify(subtask.details) }],
              },
              { route: ROUTES.specialist, signal: abort.signal, deadlineMs: timeLeft(), headers: modelCallHeaders(trace) },
            )
            .finalMessage();
          if (message.stop_reason === 'refusal') {
            throw new BookingFailure('failure', 'specialist_refused', (context) =>
              new BookingAgentError(502, ERROR_TYPES.modelError, `The ${subtask.kind} specialist refused the subtask.`, { details: { ...context, errorClass: 'refusal' } }),
            );
          }
          // A confirmation cut off at max_tokens is not a confirmation (the router counts the call as an error too).
          if (message.stop_reason === 'max_tokens') {
            throw new BookingFailure('failure', 'specialist_truncated', (context) =>
              new BookingAgentError(502, ERROR_TYPES.modelError, `The ${subtask.kind} specialist's answer was cut off at max_tokens (${deps.maxTokens}).`, {
                details: { ...context, errorClass: 'max_tokens' },
              }),
            );
          }
          return { ...subtask, status: 'confirmed', confirmation: textOf(message) } as SubtaskResult;
        } catch (error) {
          // The first failure cancels the others: the booking fails either way, don't pay for the rest.
          if (!abort.signal.aborted) abort.abort(error);
          throw error;
        }
      }),
    ),
  );
  if (abort.signal.aborted) {
    const first: unknown = abort.signal.reason;
    if (first instanceof BookingFailure) throw first;
    throw new BookingFailure('failure', 'specialist_call_failed', (context) => toModelFailure(first, 'specialist', context));
  }
  return settled.map((s) => (s as PromiseFulfilledResult<SubtaskResult>).value);
}

/** The verifier's review of an itinerary the rule marks high-stakes; a rejection or an unreadable review fails the booking. */
async function verify(deps: OrchestratorDeps, unit: Unit, request: BookingRequest, results: readonly SubtaskResult[], timeLeft: TimeLeft): Promise<boolean> {
  const { trace, log } = request;
  log.info({ step: 'verify', services: results.length }, 'asking the verifier to review the itinerary');
  let message: Anthropic.Message;
  try {
    message = await unit.messages.create(reviewRequest(results, deps.maxTokens), {
      route: ROUTES.verifier,
      deadlineMs: timeLeft(),
      headers: modelCallHeaders(trace),
    });
  } catch (error) {
    throw new BookingFailure('failure', 'verifier_call_failed', (context) => toModelFailure(error, 'verifier', context));
  }
  const review = readReview(message);
  if (review.verdict === 'approve') {
    log.info({ step: 'verified' }, 'the verifier approved the itinerary');
    return true;
  }
  // The reason is the verifier's own words about the itinerary: returned to the customer, logged as its length only.
  const reason = review.verdict === 'reject' ? review.reason : review.problem;
  log.warn({ step: 'verify_rejected', verdict: review.verdict, reason: describeText(reason) }, 'the verifier did not approve the itinerary');
  throw new BookingFailure('failure', review.verdict === 'reject' ? 'verifier_rejected' : 'verifier_invalid', (context) =>
    new BookingAgentError(
      502,
      review.verdict === 'reject' ? ERROR_TYPES.verificationRejected : ERROR_TYPES.modelError,
      review.verdict === 'reject' ? `The verifier rejected the itinerary: ${reason}` : `The verifier's review was unreadable: ${reason}`,
      { details: { ...context, ...(review.verdict === 'reject' ? { reason } : { errorClass: 'invalid_review' }) } },
    ),
  );
}

/**
 * Runs one booking as one router unit (key = booking id): the orchestrator plans through the
 * forced `plan_booking` tool, the plan is validated, specialists run the subtasks with bounded
 * concurrency, the verifier reviews a high-stakes itinerary, and the unit ends with the booking's outcome whatever happens. Cost and arm come
 * from the unit's own record, so the response and /metrics agree.
 */
export function orchestrateBooking(deps: OrchestratorDeps, request: BookingRequest): Promise<Booking> {
  return inStep('booking', (span) => {
    span.setAttribute('booking.id', request.id);
    return runBooking(deps, request, span);
  });
}

async function runBooking(deps: OrchestratorDeps, request: BookingRequest, span: Span): Promise<Booking> {
  const { id, trace, log } = request;
  const endsAt = performance.now() + deps.bookingTimeoutMs;
  const timeLeft: TimeLeft = () => Math.max(1, endsAt - performance.now());
  const unit = deps.router.unit(id);
  const calls = deps.callLog.open(id, log);
  let planned: Plan | undefined;
  let results: SubtaskResult[] | undefined;
  let verified = false;
  let failure: BookingFailure | undefined;
  try {
    const accepted = await inStep('plan', () => plan(deps, unit, request, timeLeft));
    planned = accepted;
    results = await inStep('specialists', async (span) => {
      span.setAttribute('booking.subtasks', accepted.subtasks.length);
      return runSpecialists(deps, unit, request, accepted.subtasks, timeLeft);
    });
    const itinerary = results;
    verified = needsReview(itinerary, deps.verifyMinServices) && (await inStep('verify', () => verify(deps, unit, request, itinerary, timeLeft)));
  } catch (error) {
    if (error instanceof BookingFailure) {
      failure = error;
    } else {
      // A bug, not a model failure: the unit still ends, and the stack goes to the log only.
      log.error({ step: 'booking_error', err: error }, 'unexpected error in the booking');
      failure = new BookingFailure('failure', 'internal_error', new BookingAgentError(500, ERROR_TYPES.internal, 'Internal error.', { cause: error }));
    }
  } finally {
    deps.callLog.close(id);
  }

  const ended = unit.end(failure === undefined ? { outcome: 'success' } : { outcome: failure.outcome, reason: failure.reason });
  const arm = orchestratorArm(ended);
  span.setAttributes({ 'model_canary.arm': arm, 'booking.outcome': ended.outcome, ...(failure === undefined ? {} : { 'booking.failure_reason': failure.reason }) });
  deps.metrics.observe({ route: ROUTES.orchestrator, arm, tokens: calls.tokens });
  const summary = { outcome: ended.outcome, calls: ended.calls, costUsd: ended.costUsd, durationMs: Math.round(ended.durationMs) };

  if (failure !== undefined || planned === undefined || results === undefined) {
    log.warn({ step: 'booking_failed', reason: failure?.reason, ...summary }, 'booking failed');
    // What the failed booking still cost (a paid orchestrator call before an invalid plan, say).
    const context = { id, arm, traceId: trace.traceId, costUsd: Number(ended.costUsd.toFixed(6)) };
    const error = failure?.error ?? new BookingAgentError(500, ERROR_TYPES.internal, 'Internal error.');
    throw typeof error === 'function' ? error(context) : error;
  }
  const itinerary = results;
  const summaryText = planned.summary;
  return inStepSync('aggregate', (step) => {
    step.setAttributes({ 'booking.subtasks': itinerary.length, 'booking.verified': verified });
    log.info({ step: 'aggregate', subtasks: itinerary.length, ...summary }, 'booking confirmed');
    return {
      id,
      arm,
      model: calls.arms[ROUTES.orchestrator]?.servedBy ?? 'unknown',
      status: 'confirmed',
      verified,
      summary: summaryText,
      subtasks: itinerary,
      costUsd: Number(ended.costUsd.toFixed(6)),
      tokens: { ...calls.tokens },
      durationMs: Math.round(ended.durationMs),
      traceId: trace.traceId,
    };
  });
}
