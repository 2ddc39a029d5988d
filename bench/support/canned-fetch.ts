// A `fetch` for the SDK that answers at once with a fixed Message: what is left of a call is the client's work.

export const CANNED_MESSAGE = JSON.stringify({
  id: 'msg_bench',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5',
  content: [{ type: 'text', text: 'Booked.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 20, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
});

export const cannedFetch = async (): Promise<Response> =>
  new Response(CANNED_MESSAGE, { status: 200, headers: { 'content-type': 'application/json', 'request-id': 'req_bench' } });
