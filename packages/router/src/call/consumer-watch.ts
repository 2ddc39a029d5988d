// The router observes a `create` call on a side branch of the SDK's own promise (an `APIPromise`). That branch
// parses the body and handles a failure, which would change two things the caller sees without the router:
// - a failed call nobody awaits would no longer be an unhandled rejection;
// - `asResponse()` would hand out a Response whose body the observation already read.
// So the promise handed back notes whether the caller consumes it, and `asResponse()` answers with a Response
// rebuilt from the parsed body.

const CONSUMED: unique symbol = Symbol('model-canary.consumed');

type Method = (this: Watched, ...args: unknown[]) => unknown;
type Watched = Promise<unknown> & { [CONSUMED]: boolean; [name: string]: unknown };

/** The SDK's own method of that name (on the promise's prototype, under the overrides set below). */
function sdkMethod(promise: Watched, name: string): Method {
  return (Object.getPrototypeOf(promise) as Record<string, Method>)[name] as Method;
}

function consuming(name: 'then' | 'catch' | 'finally'): Method {
  return function (this: Watched, ...args: unknown[]): unknown {
    this[CONSUMED] = true;
    return sdkMethod(this, name).apply(this, args);
  };
}

const consumingThen = consuming('then');
const consumingCatch = consuming('catch');
const consumingFinally = consuming('finally');

/** The raw response, with a body rebuilt from the parsed message (the original one is read by the observation). */
function rebuiltResponse(this: Watched): Promise<Response> {
  this[CONSUMED] = true;
  const raw = sdkMethod(this, 'asResponse').call(this) as Promise<Response>;
  return Promise.all([raw, sdkMethod(this, 'then').call(this) as Promise<unknown>]).then(
    ([response, data]) =>
      new Response(JSON.stringify(data), { status: response.status, statusText: response.statusText, headers: response.headers }),
  );
}

/**
 * Observes the SDK's promise on a side branch, and watches it for a consumer: `then`, `catch`, `finally`,
 * `asResponse` and `withResponse` (which goes through `asResponse`). A failure nobody consumed is re-raised, so
 * it stays the caller's unhandled rejection, as without the router.
 */
export function observeCall<T>(promise: Promise<T>, onSuccess: (value: T) => void, onFailure: (error: unknown) => void): void {
  const sdkThen = promise.then;
  const watched = promise as unknown as Watched;
  watched[CONSUMED] = false;
  watched.then = consumingThen as Watched['then'];
  watched.catch = consumingCatch as Watched['catch'];
  watched.finally = consumingFinally as Watched['finally'];
  watched.asResponse = rebuiltResponse;
  sdkThen.call(promise, onSuccess, (error: unknown) => {
    onFailure(error);
    if (!watched[CONSUMED]) void Promise.reject(error);
  });
}
