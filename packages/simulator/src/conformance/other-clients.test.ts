import { createAnthropic } from '@ai-sdk/anthropic';
import { ChatAnthropic } from '@langchain/anthropic';
import Anthropic from '@anthropic-ai/sdk';
import { APICallError, generateText, stepCountIs, streamText, tool } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSimulator, type Simulator } from '../index.js';
import { BOOKING_TOOL, QUIET, client } from '../test-helpers/sdk.js';

// Three real clients against one simulator, each through its public API only: the official SDK, the Vercel AI SDK
// (`ai` + `@ai-sdk/anthropic`) and LangChain's `@langchain/anthropic`. Each creates, streams, uses a tool and
// sees a fault (529 overloaded) as its own error type.

let sim: Simulator;
const MODEL = 'claude-haiku-4-5';

beforeAll(async () => {
  sim = await startSimulator({ seed: 'conformance', timeScale: 0, ...QUIET });
});
beforeEach(() => sim.setFaults([]));
afterAll(async () => {
  await sim.close();
});

const weather = z.object({ city: z.string().describe('City name') });

describe('the official SDK', () => {
  it('creates, streams, calls a tool and raises its InternalServerError on a 529', async () => {
    const sdk = client(sim.url);
    const msg = await sdk.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    expect(msg.content[0]?.type).toBe('text');
    const streamed = await sdk.messages.stream({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    expect(streamed.stop_reason).toMatch(/end_turn|max_tokens/);
    const used = await sdk.messages.create({ model: MODEL, max_tokens: 1024, messages: [{ role: 'user', content: 'plan' }], tools: [BOOKING_TOOL], tool_choice: { type: 'tool', name: BOOKING_TOOL.name } });
    expect(used.content.find((b) => b.type === 'tool_use')).toMatchObject({ name: BOOKING_TOOL.name, input: { subtasks: expect.any(Array) } });
    sim.setFaults([{ model: MODEL, kind: 'overloaded', count: 1 }]);
    await expect(sdk.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(Anthropic.InternalServerError);
  });
});

describe('the Vercel AI SDK (ai + @ai-sdk/anthropic)', () => {
  const model = () => createAnthropic({ apiKey: 'sk-test', baseURL: `${sim.url}/v1` })(MODEL);

  it('generates text (non-streaming, with temperature and topP set)', async () => {
    const result = await generateText({ model: model(), prompt: 'hi', maxOutputTokens: 64, temperature: 0.3, topK: 40, maxRetries: 0 });
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.finishReason).toMatch(/stop|length/);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it('streams text', async () => {
    const result = streamText({ model: model(), prompt: 'hi', maxOutputTokens: 64, maxRetries: 0 });
    let text = '';
    for await (const chunk of result.textStream) text += chunk;
    expect(text.length).toBeGreaterThan(0);
    expect(await result.finishReason).toMatch(/stop|length/);
  });

  it('calls a tool, runs it and answers the tool result', async () => {
    const calls: string[] = [];
    const result = await generateText({
      model: model(),
      prompt: 'What is the weather in Lisbon?',
      maxOutputTokens: 256,
      maxRetries: 0,
      tools: { weather: tool({ description: 'Weather of a city', inputSchema: weather, execute: ({ city }) => { calls.push(city); return Promise.resolve(`sunny in ${city}`); } }) },
      // The first step must call the tool; the second sends its result back and gets the answer in text.
      prepareStep: ({ stepNumber }) => ({ toolChoice: stepNumber === 0 ? 'required' : 'auto' }),
      stopWhen: stepCountIs(3),
    });
    expect(calls).toHaveLength(1);
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({ toolName: 'weather', input: { city: expect.any(String) } });
    expect(result.finishReason).toMatch(/stop|length/);
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('sees a 529 as an APICallError with its status', async () => {
    sim.setFaults([{ model: MODEL, kind: 'overloaded', count: 1 }]);
    const error = await generateText({ model: model(), prompt: 'hi', maxOutputTokens: 64, maxRetries: 0 }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 529 });
  });
});

describe("LangChain's @langchain/anthropic", () => {
  const chat = (options: { maxRetries?: number } = {}) =>
    new ChatAnthropic({ model: MODEL, apiKey: 'sk-test', anthropicApiUrl: sim.url, maxTokens: 64, temperature: 0.2, maxRetries: options.maxRetries ?? 0 });

  it('invokes (non-streaming)', async () => {
    const answer = await chat().invoke('hi');
    expect(answer.text.length).toBeGreaterThan(0);
    expect(answer.usage_metadata).toMatchObject({ output_tokens: expect.any(Number) as number });
  });

  it('streams', async () => {
    let text = '';
    for await (const chunk of await chat().stream('hi')) text += typeof chunk.content === 'string' ? chunk.content : '';
    expect(text.length).toBeGreaterThan(0);
  });

  it('calls a bound tool', async () => {
    const withTool = new ChatAnthropic({ model: MODEL, apiKey: 'sk-test', anthropicApiUrl: sim.url, maxTokens: 256, maxRetries: 0 })
      .bindTools([{ name: 'weather', description: 'Weather of a city', schema: weather }], { tool_choice: 'any' });
    const answer = await withTool.invoke('What is the weather in Lisbon?');
    expect(answer.tool_calls?.[0]).toMatchObject({ name: 'weather', args: { city: expect.any(String) } });
  });

  it('sees a 529 as an error with its status', async () => {
    sim.setFaults([{ model: MODEL, kind: 'overloaded', count: 1 }]);
    const error = await chat().invoke('hi').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 529 });
  });
});
