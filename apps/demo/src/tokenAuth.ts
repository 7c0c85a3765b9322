import {
  type AuthContext,
  type AuthStrategy,
  type Credentials,
  compileTemplate,
  compileUrlTemplate,
  SpliceError,
} from '@splice/core';

/**
 * A token-based authentication strategy (type `token`): one secret variable, `token`, placed on
 * the header tab. Adding an instance checks the token first when the method has a `urls.test`
 * URL (the platform checks credentials before it saves them); nothing is ever refreshed.
 *
 * The demo's own small strategy, for its `acme-token` method; `examples/custom-strategy` shows the
 * same contract as a walkthrough.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({ connectors, strategies: [oauth2AuthorizationCode(), tokenAuth()] });
 * await runtime.addInstance({ connectorId: 'acme', authMethodId: 'acme-token', name: 'ops',
 *   variables: { account: 'northwind', token: process.env.ACME_TOKEN! } });
 * ```
 */
export function tokenAuth(): AuthStrategy {
  const apply = { headers: { Authorization: 'Token {{token}}' }, query: {} };
  const credentials = (ctx: AuthContext): Credentials => ({ values: {}, obtainedAt: ctx.now() });
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
      const token = ctx.values['token'];
      if (token === undefined || token === '') {
        throw new SpliceError(
          'VARIABLE_MISSING',
          `Auth variable "token" of method "${ctx.method.id}" is empty: enter the API token.`,
          { details: { keys: ['token'], authMethodId: ctx.method.id } },
        );
      }
      const testUrl = ctx.method.urls['test'];
      if (testUrl !== undefined) await checkToken(ctx, testUrl, ctx.method.apply ?? apply);
      return credentials(ctx);
    },
    async getCredentials(ctx) {
      return credentials(ctx);
    },
  };
}

// One GET to the method's test URL with the credential applied: a 2xx means the token works.
async function checkToken(
  ctx: AuthContext,
  testUrl: string,
  apply: { readonly headers: Readonly<Record<string, string>> },
): Promise<void> {
  const name = `authMethods[${ctx.connector.authMethods.indexOf(ctx.method)}].urls.test`;
  const url = compileUrlTemplate(testUrl, name).render(ctx.values);
  const headers: Record<string, string> = { ...ctx.method.request.headers };
  for (const [header, template] of Object.entries(apply.headers)) {
    headers[header] = compileTemplate(template, 'header', `apply.headers.${header}`).render(
      ctx.values,
    );
  }
  let status: number;
  try {
    const response = await fetch(url, {
      headers,
      signal: AbortSignal.timeout(ctx.method.timeoutSeconds * 1000),
    });
    status = response.status;
    await response.body?.cancel();
  } catch (cause) {
    const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
    throw new SpliceError(
      timedOut ? 'TIMEOUT' : 'CREDENTIALS_INVALID',
      timedOut
        ? `The token check at ${name} took longer than ${ctx.method.timeoutSeconds} s: check the URL or raise timeoutSeconds.`
        : `The token check at ${name} could not reach the server: check the URL and the network.`,
      { cause, details: { authMethodId: ctx.method.id } },
    );
  }
  if (status < 200 || status > 299) {
    throw new SpliceError(
      'CREDENTIALS_INVALID',
      `The token check at ${name} answered HTTP ${status}: the token was refused, enter a valid one.`,
      { details: { authMethodId: ctx.method.id, status } },
    );
  }
}
