import type { AuthStrategy, Credentials, InstanceContext, OutgoingRequest } from '@splice/core';
import type { Dispatcher } from 'undici';

/**
 * Has a signing strategy (`strategy.sign`, e.g. OAuth 1) sign one endpoint request just before it
 * is sent, and returns a copy of the request with the signature's headers set (names lower-case,
 * replacing same-named ones). The request given is never changed: it may be the one the runtime
 * keeps for calls without per-call parts. A strategy without `sign` gets the request back as it is
 * (callers on the hot path check `strategy.sign` first, to skip the `await`).
 *
 * @example
 * ```ts
 * if (strategy.sign !== undefined)
 *   call.request = await signRequest(strategy, context, call.request, credentials);
 * ```
 */
export async function signRequest(
  strategy: AuthStrategy,
  context: InstanceContext,
  request: Dispatcher.RequestOptions,
  credentials: Credentials,
): Promise<Dispatcher.RequestOptions> {
  if (strategy.sign === undefined) return request;
  // The runtime's requests always carry a plain header record with lower-case names.
  const headers = (request.headers ?? {}) as Readonly<Record<string, string>>;
  const body = request.body;
  const outgoing: OutgoingRequest = {
    method: request.method,
    url: `${String(request.origin)}${request.path}`,
    headers,
    body: typeof body === 'string' || body instanceof Uint8Array ? body : undefined,
  };
  const signature = await strategy.sign(context, outgoing, credentials);
  const signed: Record<string, string> = { ...headers };
  for (const name in signature.headers) signed[name.toLowerCase()] = signature.headers[name]!;
  return { ...request, headers: signed };
}
