import type { AuthMethodDefinition } from './types.js';

/** Where one request part of an auth method is sent. */
export interface RequestPartDestination {
  /** Path in the method, e.g. `request.query.access_type` or `tokenRequest.body.scope`. */
  readonly path: string;
  /** Where it goes, in words, e.g. `the authorisation URL only`. */
  readonly sentOn: string;
}

/**
 * Where each request part of an auth method is sent, by the platform's rule: the URL-parameter
 * tab (`request.query`) on the authorisation URL only — so nowhere for a method that sends no user
 * to a consent page (`interactive: false`; `undefined` when the strategy is not known); the header and body tabs on the auth requests and
 * every endpoint request; `tokenRequest` parts on the token requests only (code exchange and
 * refresh, or OAuth 1's credential requests). `splice validate` prints it.
 *
 * @example
 * ```ts
 * requestPartDestinations(method, true);
 * // [{ path: 'request.query.access_type', sentOn: 'the authorisation URL only' }, ...]
 * ```
 */
export function requestPartDestinations(
  method: Pick<AuthMethodDefinition, 'request' | 'tokenRequest'>,
  interactive: boolean | undefined,
): RequestPartDestination[] {
  const out: RequestPartDestination[] = [];
  const add = (part: string, names: Iterable<string>, sentOn: string): void => {
    for (const name of names) out.push({ path: `${part}.${name}`, sentOn });
  };
  add(
    'request.query',
    Object.keys(method.request.query),
    interactive === false
      ? "nowhere: this method has no authorisation URL (use the endpoints' URL parameters)"
      : interactive === true
        ? 'the authorisation URL only'
        : 'the authorisation URL only, if the strategy sends users to one',
  );
  const everywhere = 'auth requests (token requests, credential checks) and every endpoint request';
  add('request.headers', Object.keys(method.request.headers), everywhere);
  add('request.body', Object.keys(method.request.body), everywhere);
  const tokenOnly = 'token requests only (never an endpoint request)';
  add('tokenRequest.headers', Object.keys(method.tokenRequest?.headers ?? {}), tokenOnly);
  add('tokenRequest.body', Object.keys(method.tokenRequest?.body ?? {}), tokenOnly);
  return out;
}
