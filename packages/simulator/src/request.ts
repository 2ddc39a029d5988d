/** The subset of a Messages API request body the simulator reads (validated by `validate-request.ts`). */
export interface CacheControl {
  readonly type: 'ephemeral';
  readonly ttl?: '5m' | '1h';
}

export interface ContentBlock {
  readonly type: string;
  readonly text?: string;
  readonly cache_control?: CacheControl | null;
  readonly [key: string]: unknown;
}

export interface InputMessage {
  readonly role: 'user' | 'assistant' | 'system';
  readonly content: string | readonly ContentBlock[];
}

export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly minItems?: number;
  readonly minProperties?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly [key: string]: unknown;
}

export interface ToolDefinition {
  readonly name: string;
  readonly description?: string;
  readonly input_schema: JsonSchema;
  readonly cache_control?: CacheControl | null;
}

export type ToolChoice =
  | { readonly type: 'auto'; readonly disable_parallel_tool_use?: boolean }
  | { readonly type: 'any'; readonly disable_parallel_tool_use?: boolean }
  | { readonly type: 'tool'; readonly name: string; readonly disable_parallel_tool_use?: boolean }
  | { readonly type: 'none' };

export interface MessagesRequest {
  readonly model: string;
  readonly max_tokens: number;
  readonly messages: readonly InputMessage[];
  readonly system?: string | readonly ContentBlock[];
  readonly tools?: readonly ToolDefinition[];
  readonly tool_choice?: ToolChoice;
  readonly stream?: boolean;
  readonly stop_sequences?: readonly string[];
  readonly thinking?: ThinkingConfig;
}

export type ThinkingConfig =
  | { readonly type: 'enabled'; readonly budget_tokens: number }
  | { readonly type: 'adaptive' }
  | { readonly type: 'disabled' };

/** count_tokens takes the same body without `max_tokens` and `stream`. */
export type CountTokensRequest = Omit<MessagesRequest, 'max_tokens' | 'stream' | 'thinking'>;
