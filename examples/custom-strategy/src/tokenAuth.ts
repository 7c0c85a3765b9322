import {
  type AuthContext,
  type AuthStrategy,
  type Credentials,
  compileTemplate,
  compileUrlTemplate,
  type InstanceContext,
  SpliceError,
} from '@splice/core';

/**
 * Options of {@link tokenAuth}.
 *
 * @example
 * ```ts
 * tokenAuth({ header: 'Authorization', prefix: 'Token ', format: /^tok_[A-Za-z0-9]{32}$/ });
 * ```
 */
export interface TokenAuthOptions {
  /** The header the token goes in unless a method's `apply` says otherwise; default `X-Api-Key`. */
  readonly header?: string;
  /** Text before the token in the header value, e.g. `Token `; default none. */
  readonly prefix?: string;
  /**
   * What a well-formed token looks like, checked before anything else. Default: 16 to 512
   * visible ASCII characters.
   */
  readonly format?: RegExp;
}

const DEFAULT_FORMAT = /^[\x21-\x7e]{16,512}$/;

/**
 * A token-based authentication strategy (`type: token`), written only against the public
 * `AuthStrategy` contract of `@splice/core`: one secret auth variable, `token`, put on a header of
 * every endpoint request. It is non-interactive — instances are added with
 * `runtime.addInstance()` — and checks the token before the instance is saved: first its format,
 * then, when the method has a `urls.test` URL, one GET to it with the token applied (2xx: good;
 * 401/403: `CREDENTIALS_INVALID`). A static token is never refreshed, so the strategy has no
 * `refresh` and the runtime never replays for it.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({
 *   connectors: [connector],
 *   strategies: [oauth2AuthorizationCode(), tokenAuth({ header: 'X-Acme-Token' })],
 * });
 * await runtime.addInstance({ connectorId: 'acme', authMethodId: 'acme-token', name: 'Ops',
 *   variables: { account: 'northwind', token: process.env.ACME_TOKEN! } });
 * ```
 */
export function tokenAuth(options: TokenAuthOptions = {}): AuthStrategy {
  const header = options.header ?? 'X-Api-Key';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) {
    throw new TypeError(`tokenAuth: "header" must be an HTTP header name, got "${header}"`);
  }
  const format = options.format ?? DEFAULT_FORMAT;
  const apply = { headers: { [header]: `${options.prefix ?? ''}{{token}}` }, query: {} };
  // The token itself lives in the instance's saved (secret) variables and reaches the header
  // through the `{{token}}` template; the credentials carry no value. One object per instance, so
  // the runtime can keep the requests it rendered for it.
  const issued = new Map<string, Credentials>();

  return {
    type: 'token',
    interactive: false,
    variables: [
      {
        key: 'token',
        label: 'Token',
        required: true,
        secret: true,
        configurable: true,
        advanced: false,
        locked: true,
      },
    ],
    apply,

    async authenticate(ctx) {
      const token = ctx.values['token'] ?? '';
      if (!format.test(token)) {
        // Never echo the value: it is a secret even when malformed.
        throw new SpliceError(
          'CREDENTIALS_INVALID',
          `Auth variable "token" of method "${ctx.method.id}" does not look like a token (${token.length} characters; expected ${format}). Copy it again from the provider's settings page.`,
          { details: { key: 'token', authMethodId: ctx.method.id } },
        );
      }
      const testUrl = ctx.method.urls['test'];
      if (testUrl !== undefined) await testToken(ctx, testUrl, ctx.method.apply ?? apply);
      return { values: {}, obtainedAt: ctx.now() };
    },

    async getCredentials(ctx: InstanceContext) {
      let credentials = issued.get(ctx.instance.id);
      if (credentials === undefined) {
        credentials = { values: {}, obtainedAt: ctx.now() };
        issued.set(ctx.instance.id, credentials);
      }
      return credentials;
    },

    forget(instanceId) {
      issued.delete(instanceId);
    },
  };
}

// One GET to the method's test URL with the token applied, within the method's timeout. Uses the
// global fetch: a strategy needs nothing but the public contract.
async function testToken(
  ctx: AuthContext,
  testUrl: string,
  apply: { readonly headers: Readonly<Record<string, string>> },
): Promise<void> {
  const index = ctx.connector.authMethods.findIndex((m) => m.id === ctx.method.id);
  const url = compileUrlTemplate(testUrl, `authMethods[${index}].urls.test`).render(ctx.values);
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(ctx.method.request.headers)) {
    headers[name] = compileTemplate(template, 'header', `request.headers.${name}`).render(
      ctx.values,
    );
  }
  for (const [name, template] of Object.entries(apply.headers)) {
    headers[name] = compileTemplate(template, 'header', `apply.headers.${name}`).render(ctx.values);
  }
  let status: number;
  try {
    const response = await fetch(url, {
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(ctx.method.timeoutSeconds * 1000),
    });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new SpliceError(
      timedOut ? 'TIMEOUT' : 'ENDPOINT_REQUEST_FAILED',
      `Could not check the token of method "${ctx.method.id}" at its test URL: ${timedOut ? `no answer within ${ctx.method.timeoutSeconds} s` : 'the request failed'}. Check the URL and that the API is reachable.`,
      { cause: error, details: { authMethodId: ctx.method.id } },
    );
  }
  if (status === 401 || status === 403) {
    throw new SpliceError(
      'CREDENTIALS_INVALID',
      `The API refused the token of method "${ctx.method.id}" (HTTP ${status} from its test URL). Check that the token is current and has access to this account.`,
      { details: { authMethodId: ctx.method.id, status } },
    );
  }
  if (status < 200 || status >= 300) {
    throw new SpliceError(
      'TOKEN_REQUEST_FAILED',
      `The test URL of method "${ctx.method.id}" answered HTTP ${status}, so the token could not be checked. Try again later or check the URL.`,
      { details: { authMethodId: ctx.method.id, status } },
    );
  }
}
