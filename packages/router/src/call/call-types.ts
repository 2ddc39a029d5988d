import type Anthropic from '@anthropic-ai/sdk';
import type { APIPromise, ExtractParsedContentFromParams } from '@anthropic-ai/sdk';
import type { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';

type SdkMessages = Anthropic['messages'];

/** The SDK's per-request options (`signal`, `timeout`, `maxRetries`, `headers`, …), passed through unchanged. */
export type SdkRequestOptions = NonNullable<Parameters<SdkMessages['create']>[1]>;

/** `messages.create` params; `model` may be left out, since the route's decision replaces it. */
export type RoutedCreateParams = Omit<Anthropic.MessageCreateParamsNonStreaming, 'model'> & { model?: string };

/** `messages.stream` params; `model` may be left out, since the route's decision replaces it. */
export type RoutedStreamParams = Omit<Anthropic.MessageStreamParams, 'model'> & { model?: string };

/** The SDK's own stream object, returned as is, typed from the params as the SDK's `messages.stream` types it. */
export type RoutedMessageStream<P extends RoutedStreamParams = RoutedStreamParams> = MessageStream<ExtractParsedContentFromParams<P & { model: string }>>;

/** The SDK's `Message` (the SDK's own result type also carries its request id). */
export type RoutedMessage = Anthropic.Message;

/** The SDK's own promise of a `create` call: awaitable, with `withResponse()` and `asResponse()`. */
export type RoutedCreateResult = APIPromise<Anthropic.Message>;

/** Which route a call belongs to, and which unit (its key) it is part of. */
export interface RouteOptions {
  readonly route: string;
  /** The unit key (booking id, conversation id): every call with it lands on one arm of the route. */
  readonly key?: string | undefined;
  /** Pin the call to a named arm (reason `forced`). */
  readonly forceArm?: string | undefined;
  /**
   * Bound on the whole call in ms: every attempt, the SDK's waits between them and a fallback. Past it the call
   * fails with `DeadlineExceededError` (code `DEADLINE_EXCEEDED`). Default: the router's `deadlineMs`, else none.
   */
  readonly deadlineMs?: number | undefined;
  /** `false` keeps this call out of its route's shadow (counted as a skip, reason `opted_out`). Default true. */
  readonly shadow?: boolean | undefined;
}

export type CallOptions = RouteOptions & SdkRequestOptions;

/** `router.messages`: the SDK's `messages.create` / `.stream`, routed and observed. */
export interface RoutedMessages {
  /**
   * Decides the route's arm, sends `params` with `model` set to the arm's model, observes the call and
   * resolves to the SDK's own `Message` (or rejects with the SDK's own error).
   */
  create(params: RoutedCreateParams, options: CallOptions): RoutedCreateResult;
  /** Same as `create`, returning the SDK's own `MessageStream`; the call is observed until the stream ends. */
  stream<P extends RoutedStreamParams>(params: P, options: CallOptions): RoutedMessageStream<P>;
}
