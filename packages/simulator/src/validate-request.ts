import { invalidRequest, type ApiErrorReply } from './api-error.js';
import { checkToolSchema } from './check-schema.js';
import type { ContentBlock, CountTokensRequest, InputMessage, MessagesRequest, ToolDefinition } from './request.js';

// Top-level fields the real API accepts (from the SDK's MessageCreateParams / MessageCountTokensParams, plus the
// sampling fields `temperature`, `top_p` and `top_k` that clients on anthropic-version 2023-06-01 send: the AI SDK,
// LangChain, older SDKs): anything else is "Extra inputs are not permitted" there, so it is here too.
const CREATE_FIELDS = new Set([
  'max_tokens', 'messages', 'model', 'cache_control', 'container', 'diagnostics', 'inference_geo', 'metadata',
  'output_config', 'service_tier', 'speed', 'stop_sequences', 'stream', 'system', 'temperature', 'thinking',
  'tool_choice', 'tools', 'top_k', 'top_p', 'user_profile_id', 'workspace_id',
]);
/** Smallest thinking budget the API accepts. */
export const MIN_THINKING_BUDGET = 1024;
const COUNT_FIELDS = new Set([
  'messages', 'model', 'cache_control', 'output_config', 'speed', 'system', 'thinking', 'tool_choice', 'tools',
  'user_profile_id', 'workspace_id',
]);
const ROLES = new Set(['user', 'assistant', 'system']);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const TOOL_CHOICE_TYPES = new Set(['auto', 'any', 'tool', 'none']);

type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorReply };

const fail = (message: string): { ok: false; error: ApiErrorReply } => ({ ok: false, error: invalidRequest(message) });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the raw body; a body that is not JSON gets the real API's 400, not a crash. */
export function parseJsonBody(raw: string): Result<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return fail('There was an issue with the formatting of your request body: it is not valid JSON');
  }
  return isRecord(parsed) ? { ok: true, value: parsed } : fail('Input should be a valid dictionary or object');
}

export function validateCreate(body: Record<string, unknown>): Result<MessagesRequest> {
  return validate(body, CREATE_FIELDS, true) as Result<MessagesRequest>;
}

export function validateCountTokens(body: Record<string, unknown>): Result<CountTokensRequest> {
  return validate(body, COUNT_FIELDS, false);
}

function validate(body: Record<string, unknown>, allowed: Set<string>, create: boolean): Result<CountTokensRequest> {
  for (const key of Object.keys(body)) {
    if (!allowed.has(key)) return fail(`${key}: Extra inputs are not permitted`);
  }
  if (body.model === undefined) return fail('model: Field required');
  if (typeof body.model !== 'string' || body.model === '') return fail('model: Input should be a valid string');
  if (create) {
    if (body.max_tokens === undefined) return fail('max_tokens: Field required');
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) {
      return fail('max_tokens: Input should be a valid integer');
    }
    if (body.max_tokens < 1) return fail('max_tokens: Input should be greater than or equal to 1');
    if (body.stream !== undefined && typeof body.stream !== 'boolean') return fail('stream: Input should be a valid boolean');
    const samplingError = checkSampling(body);
    if (samplingError !== undefined) return fail(samplingError);
  }
  if (body.messages === undefined) return fail('messages: Field required');
  const messagesError = checkMessages(body.messages);
  if (messagesError !== undefined) return fail(messagesError);
  const systemError = checkSystem(body.system);
  if (systemError !== undefined) return fail(systemError);
  const toolsError = checkTools(body.tools, body.tool_choice);
  if (toolsError !== undefined) return fail(toolsError);
  const thinkingError = checkThinking(body.thinking, create ? body.max_tokens as number : undefined, body.tool_choice);
  if (thinkingError !== undefined) return fail(thinkingError);
  if (body.stop_sequences !== undefined &&
      (!Array.isArray(body.stop_sequences) || body.stop_sequences.some((s) => typeof s !== 'string'))) {
    return fail('stop_sequences: Input should be a valid list of strings');
  }
  return { ok: true, value: body as unknown as CountTokensRequest };
}

function checkMessages(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return 'messages: Input should be a valid list';
  if (messages.length === 0) return 'messages: at least one message is required';
  let firstTurn: string | undefined;
  for (const [i, m] of messages.entries()) {
    if (!isRecord(m)) return `messages.${i}: Input should be a valid dictionary or object`;
    if (m.role === undefined) return `messages.${i}.role: Field required`;
    if (typeof m.role !== 'string' || !ROLES.has(m.role)) {
      return `messages.${i}.role: Input should be 'user', 'assistant' or 'system'`;
    }
    if (m.content === undefined) return `messages.${i}.content: Field required`;
    const last = i === messages.length - 1 && m.role === 'assistant';
    const contentError = checkContent(m.content, `messages.${i}`, last);
    if (contentError !== undefined) return contentError;
    if (firstTurn === undefined && m.role !== 'system') firstTurn = m.role;
  }
  if (firstTurn !== 'user') return 'messages: first message must use the "user" role';
  return checkToolPairs(messages as InputMessage[]);
}

function checkContent(content: unknown, at: string, finalAssistant: boolean): string | undefined {
  const emptyMessage = `${at}: all messages must have non-empty content except for the optional final assistant message`;
  if (typeof content === 'string') return content === '' && !finalAssistant ? emptyMessage : undefined;
  if (!Array.isArray(content)) return `${at}.content: Input should be a valid string or list of content blocks`;
  if (content.length === 0 && !finalAssistant) return emptyMessage;
  for (const [j, block] of content.entries()) {
    if (!isRecord(block) || typeof block.type !== 'string') return `${at}.content.${j}.type: Field required`;
    if (block.type === 'text') {
      if (typeof block.text !== 'string') return `${at}.content.${j}.text: Field required`;
      if (block.text === '') return 'messages: text content blocks must be non-empty';
    }
    if (block.type === 'tool_use' && (typeof block.id !== 'string' || typeof block.name !== 'string' || !isRecord(block.input))) {
      return `${at}.content.${j}: tool_use blocks need a string \`id\`, a string \`name\` and an object \`input\``;
    }
    if (block.type === 'tool_result') {
      if (typeof block.tool_use_id !== 'string') return `${at}.content.${j}.tool_use_id: Field required`;
      const resultError = checkToolResultContent(block.content, `${at}.content.${j}`);
      if (resultError !== undefined) return resultError;
    }
    const cacheError = checkCacheControl(block.cache_control, `${at}.content.${j}`);
    if (cacheError !== undefined) return cacheError;
  }
  return undefined;
}

/** A tool_result's content: a string or a list of content blocks, none of them a tool_use or a nested tool_result. */
function checkToolResultContent(content: unknown, at: string): string | undefined {
  if (content === undefined || typeof content === 'string') return undefined;
  if (!Array.isArray(content)) return `${at}.content: Input should be a valid string or list of content blocks`;
  for (const [k, block] of content.entries()) {
    if (!isRecord(block) || typeof block.type !== 'string') return `${at}.content.${k}.type: Field required`;
    if (block.type === 'tool_result' || block.type === 'tool_use') {
      return `${at}.content.${k}.type: Input should be 'text', 'image', 'document' or 'search_result'`;
    }
    if (block.type === 'text' && typeof block.text !== 'string') return `${at}.content.${k}.text: Field required`;
  }
  return undefined;
}

function checkCacheControl(cc: unknown, at: string): string | undefined {
  if (cc === undefined || cc === null) return undefined;
  if (!isRecord(cc) || cc.type !== 'ephemeral') return `${at}.cache_control.type: Input should be 'ephemeral'`;
  if (cc.ttl !== undefined && cc.ttl !== '5m' && cc.ttl !== '1h') return `${at}.cache_control.ttl: Input should be '5m' or '1h'`;
  return undefined;
}

function blocksOf(m: InputMessage): readonly ContentBlock[] {
  return typeof m.content === 'string' ? [] : m.content;
}

// The real API insists that every tool_use is answered by a tool_result in the very next message and that
// every tool_result answers a tool_use of the message before it; a conversation that breaks this is a 400.
function checkToolPairs(messages: readonly InputMessage[]): string | undefined {
  for (const [i, m] of messages.entries()) {
    const uses = blocksOf(m).filter((b) => b.type === 'tool_use').map((b) => String(b.id));
    const prev = messages[i - 1];
    const prevUses = new Set(prev?.role === 'assistant' ? blocksOf(prev).filter((b) => b.type === 'tool_use').map((b) => String(b.id)) : []);
    const results = blocksOf(m).filter((b) => b.type === 'tool_result').map((b) => String(b.tool_use_id));
    const orphans = results.filter((id) => !prevUses.has(id));
    if (orphans.length > 0) {
      return `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${orphans.join(', ')}. ` +
        'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.';
    }
    if (m.role === 'assistant' && uses.length > 0) {
      const next = messages[i + 1];
      if (next === undefined) continue;
      const answered = new Set(blocksOf(next).filter((b) => b.type === 'tool_result').map((b) => String(b.tool_use_id)));
      const missing = uses.filter((id) => !answered.has(id));
      if (missing.length > 0) {
        return `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. ` +
          'Each `tool_use` block must have a corresponding `tool_result` block in the next message.';
      }
    }
  }
  return undefined;
}

function checkSystem(system: unknown): string | undefined {
  if (system === undefined || typeof system === 'string') return undefined;
  if (!Array.isArray(system)) return 'system: Input should be a valid string or list of text blocks';
  for (const [j, block] of system.entries()) {
    if (!isRecord(block) || block.type !== 'text' || typeof block.text !== 'string') {
      return `system.${j}: Input should be a text block`;
    }
    if (block.text === '') return 'system: text content blocks must be non-empty';
    const cacheError = checkCacheControl(block.cache_control, `system.${j}`);
    if (cacheError !== undefined) return cacheError;
  }
  return undefined;
}

function checkTools(tools: unknown, toolChoice: unknown): string | undefined {
  if (tools !== undefined) {
    if (!Array.isArray(tools)) return 'tools: Input should be a valid list';
    const names = new Set<string>();
    for (const [i, tool] of (tools as unknown[]).entries()) {
      if (!isRecord(tool)) return `tools.${i}: Input should be a valid dictionary or object`;
      if (typeof tool.name !== 'string') return `tools.${i}.name: Field required`;
      if (!TOOL_NAME.test(tool.name)) return `tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`;
      if (names.has(tool.name)) return 'tools: Tool names must be unique.';
      names.add(tool.name);
      const custom = tool.type === undefined || tool.type === 'custom';
      // A server tool (web search, bash, …) takes no input_schema: the model never fills one in for it.
      if (!custom && tool.input_schema !== undefined) return `tools.${i}.${String(tool.type)}.input_schema: Extra inputs are not permitted`;
      if (custom && tool.input_schema === undefined) return `tools.${i}.custom.input_schema: Field required`;
      if (custom && (!isRecord(tool.input_schema) || tool.input_schema.type !== 'object')) {
        return `tools.${i}.custom.input_schema.type: Input should be 'object'`;
      }
      if (custom) {
        const schema = checkToolSchema(tool.input_schema);
        if (!schema.ok) return `tools.${i}.custom.input_schema: JSON schema is invalid: ${schema.problem}`;
      }
      const cacheError = checkCacheControl(tool.cache_control, `tools.${i}`);
      if (cacheError !== undefined) return cacheError;
    }
  }
  if (toolChoice === undefined) return undefined;
  if (!isRecord(toolChoice) || typeof toolChoice.type !== 'string' || !TOOL_CHOICE_TYPES.has(toolChoice.type)) {
    return "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'";
  }
  if (tools === undefined && toolChoice.type !== 'none') return 'tool_choice may only be specified while providing tools.';
  if (toolChoice.type === 'tool') {
    if (typeof toolChoice.name !== 'string') return 'tool_choice.tool.name: Field required';
    const known = (tools as ToolDefinition[]).some((t) => t.name === toolChoice.name);
    if (!known) return `tool_choice.tool.name: Tool '${toolChoice.name}' not found in provided tools`;
  }
  return undefined;
}

function checkSampling(body: Record<string, unknown>): string | undefined {
  const inRange = (name: string, max: number): string | undefined => {
    const v = body[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) return `${name}: Input should be a valid number`;
    return v < 0 || v > max ? `${name}: Input should be between 0 and ${max}` : undefined;
  };
  const error = inRange('temperature', 1) ?? inRange('top_p', 1);
  if (error !== undefined) return error;
  if (body.top_k !== undefined && !(typeof body.top_k === 'number' && Number.isInteger(body.top_k) && body.top_k >= 0)) {
    return 'top_k: Input should be a non-negative integer';
  }
  return undefined;
}

function checkThinking(thinking: unknown, maxTokens: number | undefined, toolChoice: unknown): string | undefined {
  if (thinking === undefined) return undefined;
  if (!isRecord(thinking) || !['enabled', 'disabled', 'adaptive'].includes(String(thinking.type))) {
    return "thinking.type: Input should be 'enabled', 'disabled' or 'adaptive'";
  }
  if (thinking.type === 'disabled') return undefined;
  if (thinking.type === 'enabled') {
    const budget = thinking.budget_tokens;
    if (typeof budget !== 'number' || !Number.isInteger(budget)) return 'thinking.enabled.budget_tokens: Field required';
    if (budget < MIN_THINKING_BUDGET) return `thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_THINKING_BUDGET}`;
    if (maxTokens !== undefined && budget >= maxTokens) return '`max_tokens` must be greater than `thinking.budget_tokens`';
  }
  if (isRecord(toolChoice) && (toolChoice.type === 'any' || toolChoice.type === 'tool')) {
    return 'Thinking may not be enabled when tool_choice forces tool use.';
  }
  return undefined;
}
