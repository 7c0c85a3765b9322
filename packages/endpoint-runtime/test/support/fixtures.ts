// Test fixtures: connector definitions as plain typed objects (what parseConnector returns), two
// small strategies written against the public AuthStrategy contract, and a recording HTTP server.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  AuthMethodDefinition,
  AuthStrategy,
  ConnectorDefinition,
  Credentials,
  EndpointDefinition,
  Instance,
  InstanceContext,
  JsonObject,
  LogFields,
  Logger,
  VariableDefinition,
} from '@splice/core';
import { SpliceError, storeKeys } from '@splice/core';

export function variable(key: string, extra: Partial<VariableDefinition> = {}): VariableDefinition {
  return {
    key,
    required: false,
    configurable: true,
    advanced: false,
    secret: false,
    locked: false,
    ...extra,
  };
}

const NO_PARTS = { query: {}, headers: {}, body: {} } as const;

export function method(
  id: string,
  type: string,
  extra: Partial<AuthMethodDefinition> = {},
): AuthMethodDefinition {
  return {
    id,
    name: id,
    type,
    timeoutSeconds: 5,
    variables: [],
    urls: {},
    request: NO_PARTS,
    ...extra,
  };
}

export function endpoint(
  id: string,
  url: string,
  authMethods: readonly string[],
  extra: Partial<EndpointDefinition> = {},
): EndpointDefinition {
  return {
    id,
    name: id,
    direction: 'receive',
    method: 'GET',
    url,
    dataType: 'json',
    bodyFormat: 'json',
    timeoutSeconds: 5,
    variables: [],
    request: NO_PARTS,
    authMethods,
    ...extra,
  };
}

/**
 * The seed's example: one connector, an OAuth-like method and a token method; `orders` is enabled
 * only for the token method, `profile` only for OAuth, `list-orders` and `create-order` for both.
 */
export function acmeConnector(
  base: string,
  extra: Partial<ConnectorDefinition> = {},
): ConnectorDefinition {
  return {
    id: 'acme',
    name: 'Acme',
    version: '1',
    variables: [variable('account', { required: true })],
    authMethods: [
      method('acme-oauth', 'test-oauth', {
        variables: [variable('client_id', { required: true })],
      }),
      method('acme-token', 'test-token'),
    ],
    endpoints: [
      endpoint(
        'list-orders',
        `${base}/{{account}}/orders?status={{status}}`,
        ['acme-oauth', 'acme-token'],
        { variables: [variable('status', { default: 'open' })] },
      ),
      endpoint('orders', `${base}/{{account}}/orders/all`, ['acme-token']),
      endpoint('profile', `${base}/{{account}}/me`, ['acme-oauth']),
      endpoint('create-order', `${base}/{{account}}/orders`, ['acme-oauth', 'acme-token'], {
        method: 'POST',
        direction: 'send',
      }),
    ],
    ...extra,
  };
}

/** A non-interactive strategy: an API key in a header, checked for format. */
export function testTokenStrategy(): AuthStrategy & { authenticated: number } {
  const cache = new Map<string, Credentials>();
  const strategy = {
    type: 'test-token',
    interactive: false,
    authenticated: 0,
    variables: [variable('api_key', { required: true, secret: true, locked: true })],
    apply: { headers: { 'X-Api-Key': '{{api_key}}' }, query: {} },
    async authenticate(ctx: { values: Readonly<Record<string, string>>; now: () => number }) {
      strategy.authenticated++;
      if (!/^key-[a-z0-9]{4,}$/.test(ctx.values['api_key'] ?? '')) {
        throw new SpliceError('CREDENTIALS_INVALID', 'api_key has the wrong format');
      }
      return { values: {}, obtainedAt: ctx.now() };
    },
    async getCredentials(ctx: InstanceContext) {
      let credentials = cache.get(ctx.instance.id);
      if (credentials === undefined) {
        credentials = { values: {}, obtainedAt: ctx.now() };
        cache.set(ctx.instance.id, credentials);
      }
      return credentials;
    },
  };
  return strategy;
}

export interface TestOAuth extends AuthStrategy {
  refreshes: number;
  /** What refresh does: hand out the next token, or fail as a dead grant. */
  refreshMode: 'next' | 'dead';
}

/** An interactive strategy with bearer tokens `tok-1`, `tok-2`, ... kept in the store. */
export function testOAuthStrategy(): TestOAuth {
  const cache = new Map<string, Credentials>();
  let issued = 0;
  const issue = (now: number): Credentials => {
    issued++;
    return { values: { access_token: `tok-${issued}`, token_type: 'Bearer' }, obtainedAt: now };
  };
  const strategy: TestOAuth = {
    type: 'test-oauth',
    interactive: true,
    refreshes: 0,
    refreshMode: 'next',
    variables: [variable('client_id', { required: true, locked: true })],
    apply: { headers: { Authorization: 'Bearer {{access_token}}' }, query: {} },
    async begin(ctx) {
      const state = `state-${Math.random().toString(36).slice(2)}`;
      return {
        authorizationUrl: `https://auth.example/authorize?client_id=${ctx.values['client_id']}&state=${state}`,
        state,
        data: { verifier: 'v-secret' },
      };
    },
    async complete(ctx, callback) {
      if (callback.data['verifier'] !== 'v-secret') throw new Error('lost data');
      if (callback.params.get('code') !== 'good-code') {
        throw new SpliceError('AUTH_DENIED', 'bad code', {
          details: { providerError: 'bad_code' },
        });
      }
      return issue(ctx.now());
    },
    async getCredentials(ctx) {
      const cached = cache.get(ctx.instance.id);
      if (cached !== undefined) return cached;
      const entry = await ctx.store.get<JsonObject>(storeKeys.credentials(ctx.instance.id));
      if (entry === undefined) throw new SpliceError('REAUTHORIZATION_REQUIRED', 'no credentials');
      const credentials = entry.value as unknown as Credentials;
      cache.set(ctx.instance.id, credentials);
      return credentials;
    },
    isExpiredResponse(_ctx, response) {
      return response.status === 401;
    },
    async refresh(ctx) {
      strategy.refreshes++;
      if (strategy.refreshMode === 'dead') {
        throw new SpliceError('REAUTHORIZATION_REQUIRED', 'The refresh token was rejected', {
          details: { instanceId: ctx.instance.id },
        });
      }
      const next = issue(ctx.now());
      await ctx.store.set(storeKeys.credentials(ctx.instance.id), next as unknown as JsonObject);
      cache.set(ctx.instance.id, next);
      return next;
    },
    forget(instanceId) {
      cache.delete(instanceId);
    },
  };
  return strategy;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  /** performance.now() when the request arrived at the server. */
  readonly at: number;
}

export interface TestServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  handle: (req: RecordedRequest, res: ServerResponse) => void;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1:0 recording every request; JSON echo unless `handle` is set. */
export async function startTestServer(): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const state: TestServer = {
    url: '',
    requests,
    handle: (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: req.body }),
      );
    },
    close: async () => {},
  };
  const server = createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at,
      };
      requests.push(recorded);
      state.handle(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A logger that keeps every line, to assert on and to scan for secrets. */
export function recordingLogger(): Logger & {
  lines: { level: string; message: string; fields?: LogFields }[];
} {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: LogFields): void => {
      lines.push(fields === undefined ? { level, message } : { level, message, fields });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Rejects with the error `promise` rejects with, or fails. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<SpliceError & { details: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as SpliceError & { details: Record<string, unknown> };
  }
  throw new Error('expected a rejection');
}

/** An instance of `acme-oauth` added through the test OAuth strategy's consent (account `eu`). */
export async function consentedInstance(runtime: {
  beginAuthorization(input: {
    connectorId: string;
    authMethodId: string;
    name: string;
    variables: Record<string, string>;
  }): Promise<{ state: string }>;
  completeAuthorization(callback: Record<string, string>): Promise<Instance>;
}): Promise<Instance> {
  const { state } = await runtime.beginAuthorization({
    connectorId: 'acme',
    authMethodId: 'acme-oauth',
    name: 'OAuth',
    variables: { account: 'eu', client_id: 'c1' },
  });
  return runtime.completeAuthorization({ code: 'good-code', state });
}
