// A secret variable's definition default is a secret like any other: it reaches the request, and
// never a listing, a serialized instance, an error, an event or a log line.
import { MemoryStore, REDACTED } from '@splice/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  endpoint,
  method,
  recordingLogger,
  rejection,
  startTestServer,
  type TestServer,
  testTokenStrategy,
  variable,
} from './support/fixtures.js';

const CONNECTOR_DEFAULT = 'tenant-default-secret-1';
const AUTH_DEFAULT = 'key-defaultsecret9';
const ENDPOINT_DEFAULT = 'sig-default-secret-77';
const LOOKS_SECRET_DEFAULT = 'pw-default-secret-55';
const DEFAULTS = [CONNECTOR_DEFAULT, AUTH_DEFAULT, ENDPOINT_DEFAULT, LOOKS_SECRET_DEFAULT];

let server: TestServer;
let runtime: Runtime;
const logger = recordingLogger();
const events: unknown[] = [];

beforeAll(async () => {
  server = await startTestServer();
  // A careless API that echoes everything it was sent in its error body and headers.
  server.handle = (req, res) => {
    const echo = `${req.url} ${JSON.stringify(req.headers)}`;
    res.writeHead(req.url.includes('/ok') ? 200 : 500, {
      'content-type': 'text/plain',
      'x-echo': echo,
    });
    res.end(echo);
  };
  runtime = createRuntime({
    connectors: [
      acmeConnector(server.url, {
        variables: [
          variable('account', { required: true }),
          variable('tenant_key', { secret: true, default: CONNECTOR_DEFAULT }),
          // Not flagged, but its key looks secret: treated as secret all the same.
          variable('password', { default: LOOKS_SECRET_DEFAULT }),
        ],
        authMethods: [
          method('acme-token', 'test-token', {
            // The strategy's `api_key` is secret; the definition gives it a default.
            variables: [{ key: 'api_key', default: AUTH_DEFAULT }],
          }),
        ],
        endpoints: [
          endpoint(
            'echo',
            `${server.url}/{{account}}/echo?t={{tenant_key}}&s={{signature}}&p={{password}}`,
            ['acme-token'],
            { variables: [variable('signature', { secret: true, default: ENDPOINT_DEFAULT })] },
          ),
          endpoint('ok', `${server.url}/ok?s={{signature}}&t={{tenant_key}}`, ['acme-token'], {
            dataType: 'txt',
            variables: [variable('signature', { secret: true, default: ENDPOINT_DEFAULT })],
          }),
        ],
      }),
    ],
    strategies: [testTokenStrategy()],
    store: new MemoryStore(),
    logger,
    retry: { retries: 0 },
  });
  runtime.on('reauthorizationRequired', (...args) => events.push(args));
});
afterAll(async () => {
  await runtime.close();
  await server.close();
});

describe('secret definition defaults', () => {
  it('read [redacted] in listConnectors() at every level, and are still sent', async () => {
    const [acme] = runtime.listConnectors();
    const shown = JSON.stringify(runtime.listConnectors());
    for (const secret of DEFAULTS) expect(shown).not.toContain(secret);
    const byKey = (list: readonly { key: string; default?: string }[], key: string) =>
      list.find((v) => v.key === key)?.default;
    expect(byKey(acme!.variables, 'tenant_key')).toBe(REDACTED);
    expect(byKey(acme!.variables, 'password')).toBe(REDACTED);
    expect(byKey(acme!.variables, 'account')).toBeUndefined();
    expect(byKey(acme!.authMethods[0]!.variables, 'api_key')).toBe(REDACTED);
    expect(byKey(acme!.endpoints[0]!.variables, 'signature')).toBe(REDACTED);

    // The runtime itself still uses the real defaults.
    const instance = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'defaults',
      variables: { account: 'eu' },
    });
    const result = await runtime.callEndpoint(instance, 'ok');
    expect(result.status).toBe(200);
    const sent = server.requests.at(-1)!;
    expect(sent.url).toContain(`s=${ENDPOINT_DEFAULT}`);
    expect(sent.url).toContain(`t=${CONNECTOR_DEFAULT}`);
    expect(sent.headers['x-api-key']).toBe(AUTH_DEFAULT);
  });

  it('never leave through listEndpoints(), instances, errors, events or logs', async () => {
    const instance = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'echo',
      variables: { account: 'eu' },
    });
    const error = await rejection(runtime.callEndpoint(instance, 'echo'));
    expect(error.code).toBe('ENDPOINT_HTTP_ERROR');
    // The API did echo them: the request carried every default.
    const sent = server.requests.at(-1)!;
    for (const secret of DEFAULTS) expect(JSON.stringify(sent)).toContain(secret);
    expect(String(error.details['body'])).toContain(REDACTED);

    const everything = [
      error.message,
      JSON.stringify(error.details),
      JSON.stringify(await runtime.listEndpoints(instance)),
      JSON.stringify(await runtime.listInstances()),
      JSON.stringify(await runtime.getInstance(instance.id)),
      JSON.stringify(runtime.requiredVariables('acme', 'acme-token')),
      JSON.stringify(events),
      ...logger.lines.map((line) => `${line.message} ${JSON.stringify(line.fields ?? {})}`),
    ].join('\n');
    for (const secret of DEFAULTS) expect(everything).not.toContain(secret);
  });

  it('and a secret value passed for a call is scrubbed from its error too', async () => {
    const instance = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'input',
      variables: { account: 'eu' },
    });
    const given = 'sig-given-by-the-call-31';
    const error = await rejection(
      runtime.callEndpoint(instance, 'echo', { variables: { signature: given } }),
    );
    expect(server.requests.at(-1)!.url).toContain(given);
    expect(JSON.stringify(error.details)).not.toContain(given);
  });
});
