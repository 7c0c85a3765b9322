// Real providers' consent-time values, through the public runtime against the testkit's provider
// simulator: QuickBooks' callback realmId in API paths, Salesforce's instance_url as the API
// origin (and refused outside the declared origins), Xero's connections and Atlassian's
// accessible resources as post-authorization steps with the user's choice.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Instance,
  type Logger,
  MemoryStore,
  parseConnector,
  SpliceError,
  type Store,
} from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import { SqliteStore } from '@splice/store-sqlite';
import {
  checkOpenssl,
  freePort,
  type ProviderSimulator,
  startProviderSimulator,
} from '@splice/testkit';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SecretAudit } from './support/secretAudit.js';
import { startNetSuiteLikeServer } from './support/tlsServer.js';

const CALLBACK = 'http://127.0.0.1:1/oauth/callback';
const audit = new SecretAudit();
let sim: ProviderSimulator;
let runtime: Runtime | undefined;

beforeAll(async () => {
  sim = await startProviderSimulator({ redirectUris: [CALLBACK] });
  audit.secret(sim.clientSecret);
});
afterAll(async () => {
  await sim.close();
  // Nothing secret in any error, log line, span or serialized instance of this file.
  expect(audit.leaks()).toEqual([]);
});
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  sim.setQuirks({ callbackExtras: {}, tokenExtras: {}, discovery: [], introspection: {} });
  sim.resetCounts();
});

type Json = Record<string, unknown>;

/** A connector on the simulator whose one OAuth method has `extra` (captured, steps...). */
function connector(extra: Json, endpoints: Json[], variables: Json[] = []) {
  return parseConnector({
    id: 'provider',
    name: 'Provider',
    version: 1,
    variables,
    authMethods: [
      {
        id: 'oauth',
        name: 'OAuth',
        type: 'oauth2-authorization-code',
        urls: { authorise: sim.authorizationUrl, token: sim.tokenUrl },
        ...extra,
      },
    ],
    endpoints: endpoints.map((e) => ({ method: 'GET', authMethods: ['oauth'], ...e })),
  });
}

function start(
  definition: ReturnType<typeof connector>,
  dispatcher?: Agent,
  logger: Logger = audit.logger,
  store: Store = new MemoryStore(),
): Runtime {
  runtime = createRuntime({
    ...(dispatcher === undefined ? {} : { dispatcher }),
    connectors: [definition],
    strategies: [oauth2AuthorizationCode({ retryMinDelayMs: 5, retryMaxDelayMs: 20 })],
    store,
    callbackUrl: CALLBACK,
    logger,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 },
  });
  return runtime;
}

/** The provider's redirect back to the callback, as a browser would follow it. */
async function consent(rt: Runtime, variables: Record<string, string> = {}): Promise<string> {
  const { authorizationUrl } = await rt.beginAuthorization({
    connectorId: 'provider',
    authMethodId: 'oauth',
    name: 'Test',
    variables: { client_id: sim.clientId, client_secret: sim.clientSecret, ...variables },
  });
  const answer = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = answer.headers.get('location');
  if (location === null) throw new Error(`no redirect from the simulator (${answer.status})`);
  return location;
}

async function rejected(promise: Promise<unknown>): Promise<SpliceError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!SpliceError.is(outcome)) throw new Error(`expected a SpliceError, got ${String(outcome)}`);
  audit.error(outcome);
  return outcome;
}

interface Echo {
  readonly path: string;
  readonly headers: Record<string, string>;
}

describe('captured from the callback (QuickBooks realmId)', () => {
  const quickbooks = () =>
    connector({ captured: [{ key: 'realm_id', from: 'callback', field: 'realmId' }] }, [
      {
        id: 'query',
        name: 'Query',
        url: `${sim.apiUrl}/v3/company/{{realm_id}}/query?query={{q}}`,
        variables: [{ key: 'q', default: 'select * from Customer' }],
      },
    ]);

  it('puts the realmId of the callback in every API path, before and after a refresh', async () => {
    sim.setQuirks({ callbackExtras: { realmId: '9130350025' } });
    const rt = start(quickbooks());
    const instance = await rt.completeAuthorization(await consent(rt));
    expect(instance.status).toBe('active');
    expect(instance.captured).toEqual({ realm_id: '9130350025' });
    const first = await rt.callEndpoint<Echo>(instance, 'query');
    expect(first.data.path).toBe('/api/v3/company/9130350025/query');

    // A call may not replace a captured value: refused before anything is sent.
    const apiBefore = sim.counts.api;
    const refused = await rejected(
      rt.callEndpoint(instance, 'query', { variables: { realm_id: 'other' } }),
    );
    expect(refused.code).toBe('VARIABLE_INVALID');
    expect(sim.counts.api).toBe(apiBefore);

    sim.expireAccessTokens();
    const second = await rt.callEndpoint<Echo>(instance, 'query');
    expect(sim.counts.refreshToken).toBe(1);
    expect(second.data.path).toBe('/api/v3/company/9130350025/query');
    audit.serialized(await rt.listInstances());
  });

  it('refuses a callback without it before any token request', async () => {
    const rt = start(quickbooks());
    const error = await rejected(rt.completeAuthorization(await consent(rt)));
    expect(error.code).toBe('CAPTURE_INVALID');
    expect(error.details).toMatchObject({ key: 'realm_id', field: 'realmId', reason: 'missing' });
    expect(sim.counts.token).toBe(0);
    expect(await rt.listInstances()).toEqual([]);
  });
});

describe('an origin from the token response (Salesforce instance_url)', () => {
  const salesforce = (origins: string[]) =>
    connector(
      {
        captured: [{ key: 'instance_url', from: 'token', field: 'instance_url', origins }],
      },
      [{ id: 'query', name: 'Query', url: '{{instance_url}}/api/services/data/v59.0/query' }],
    );

  it('sends endpoint calls to the instance_url, and to the new one a refresh carries', async () => {
    const port = new URL(sim.issuer).port;
    const other = `http://localhost:${port}`;
    sim.setQuirks({ tokenExtras: { instance_url: sim.issuer } });
    const rt = start(salesforce([sim.issuer, other]));
    const instance = await rt.completeAuthorization(await consent(rt));
    expect(instance.captured).toEqual({ instance_url: sim.issuer });
    const first = await rt.callEndpoint<Echo>(instance, 'query');
    expect(first.data.path).toBe('/api/services/data/v59.0/query');
    expect(first.data.headers['host']).toBe(new URL(sim.issuer).host);

    sim.setQuirks({ tokenExtras: { instance_url: other } });
    sim.expireAccessTokens();
    const second = await rt.callEndpoint<Echo>(instance, 'query');
    expect(sim.counts.refreshToken).toBe(1);
    expect(second.data.headers['host']).toBe(`localhost:${port}`);
    // The preview renders with the same, newest value.
    const preview = await rt.previewRequest(instance, 'query');
    expect(preview.url).toBe(`${other}/api/services/data/v59.0/query`);
  });

  it('refuses an instance_url outside the declared origins and sends nothing to it', async () => {
    sim.setQuirks({ tokenExtras: { instance_url: 'https://attacker.example' } });
    const rt = start(salesforce(['https://*.my.salesforce.com']));
    const error = await rejected(rt.completeAuthorization(await consent(rt)));
    expect(error.code).toBe('CAPTURE_INVALID');
    expect(error.details).toMatchObject({
      key: 'instance_url',
      source: 'token',
      reason: 'origin_not_allowed',
      origins: ['https://*.my.salesforce.com'],
    });
    expect(error.message).not.toContain('attacker');
    expect(await rt.listInstances()).toEqual([]);
    expect(sim.counts.api).toBe(0);
  });

  it('keeps the refreshed tokens and the old instance_url when a refresh carries one outside them', async () => {
    sim.setQuirks({ tokenExtras: { instance_url: sim.issuer } });
    const warnings: string[] = [];
    // The audit's logger, with the warnings kept for this test.
    const logger: Logger = {
      ...audit.logger,
      warn: (message, fields) => {
        warnings.push(message);
        audit.logger.warn(message, fields);
      },
    };
    const rt = start(salesforce([sim.issuer]), undefined, logger);
    const instance = await rt.completeAuthorization(await consent(rt));
    sim.setQuirks({ tokenExtras: { instance_url: 'https://attacker.example' } });
    sim.expireAccessTokens();
    const { data } = await rt.callEndpoint<Echo>(instance, 'query');
    expect(data.headers['host']).toBe(new URL(sim.issuer).host);
    expect(sim.counts.refreshToken).toBe(1);
    expect(warnings.some((w) => w.includes('not an origin the auth method allows'))).toBe(true);
    // The new tokens were saved: the next call needs no refresh.
    await rt.callEndpoint(instance, 'query');
    expect(sim.counts.refreshToken).toBe(1);
  });
});

describe('a token host from the callback (Zoho accounts-server, api_domain)', () => {
  const zoho = () =>
    parseConnector({
      id: 'provider',
      name: 'Zoho-like',
      version: 1,
      authMethods: [
        {
          id: 'oauth',
          name: 'OAuth',
          type: 'oauth2-authorization-code',
          urls: { authorise: sim.authorizationUrl, token: '{{accounts_server}}/token' },
          captured: [
            {
              key: 'accounts_server',
              from: 'callback',
              field: 'accounts-server',
              origins: [sim.issuer],
            },
            { key: 'location', from: 'callback', field: 'location', required: false },
            { key: 'api_domain', from: 'token', field: 'api_domain', origins: [sim.issuer] },
          ],
        },
      ],
      endpoints: [
        {
          id: 'leads',
          name: 'Leads',
          method: 'GET',
          url: '{{api_domain}}/api/crm/v2/Leads?dc={{location}}',
          authMethods: ['oauth'],
        },
      ],
    });

  it('exchanges and refreshes at the accounts server the callback named', async () => {
    sim.setQuirks({
      callbackExtras: { 'accounts-server': sim.issuer, location: 'eu' },
      tokenExtras: { api_domain: sim.issuer },
    });
    const rt = start(zoho());
    const instance = await rt.completeAuthorization(await consent(rt));
    expect(instance.captured).toEqual({
      accounts_server: sim.issuer,
      location: 'eu',
      api_domain: sim.issuer,
    });
    expect(sim.counts.authorizationCode).toBe(1);
    sim.expireAccessTokens();
    const { data } = await rt.callEndpoint<Echo & { query: Record<string, string> }>(
      instance,
      'leads',
    );
    expect(sim.counts.refreshToken).toBe(1);
    expect(data.path).toBe('/api/crm/v2/Leads');
    expect(data.query).toEqual({ dc: 'eu' });
  });

  it('refuses an accounts server outside the declared origins before the code is sent', async () => {
    sim.setQuirks({ callbackExtras: { 'accounts-server': 'https://accounts.evil.example' } });
    const rt = start(zoho());
    const error = await rejected(rt.completeAuthorization(await consent(rt)));
    expect(error.code).toBe('CAPTURE_INVALID');
    expect(error.details).toMatchObject({ key: 'accounts_server', source: 'callback' });
    expect(sim.counts.token).toBe(0);
  });
});

describe('post-authorization steps', () => {
  const xero = () =>
    connector(
      {
        postAuthorization: [
          {
            id: 'tenant',
            url: sim.discoveryUrl,
            choices: { id: 'tenantId', label: 'tenantName' },
            captured: [{ key: 'tenant_id', field: 'tenantId' }],
          },
        ],
      },
      [
        {
          id: 'invoices',
          name: 'Invoices',
          url: `${sim.apiUrl}/api.xro/2.0/Invoices`,
          // On API calls only: the token requests happen before the tenant is known.
          request: { headers: { 'xero-tenant-id': '{{tenant_id}}' } },
        },
      ],
    );
  const tenant = (id: string, name: string) => ({
    id: `c-${id}`,
    tenantId: id,
    tenantName: name,
    tenantType: 'ORGANISATION',
  });

  it('takes the only Xero organisation and sends it as xero-tenant-id', async () => {
    sim.setQuirks({ discovery: [tenant('t-1', 'Demo UK')] });
    const rt = start(xero());
    const instance = await rt.completeAuthorization(await consent(rt));
    expect(instance.status).toBe('active');
    expect(instance.captured).toEqual({ tenant_id: 't-1' });
    expect(sim.counts.discovery).toBe(1);
    const { data } = await rt.callEndpoint<Echo>(instance, 'invoices');
    expect(data.headers['xero-tenant-id']).toBe('t-1');
  });

  it('waits for the user when several organisations are connected, never taking the first', async () => {
    sim.setQuirks({ discovery: [tenant('t-1', 'Demo UK'), tenant('t-2', 'Demo US')] });
    const rt = start(xero());
    const instance = await rt.completeAuthorization(await consent(rt));
    expect(instance.status).toBe('pending_choice');
    expect(instance.captured).toBeUndefined();
    expect(instance.pendingChoice).toEqual({
      stepId: 'tenant',
      choices: [
        { id: 't-1', label: 'Demo UK' },
        { id: 't-2', label: 'Demo US' },
      ],
    });
    const waiting = await rejected(rt.callEndpoint(instance, 'invoices'));
    expect(waiting.code).toBe('CHOICE_REQUIRED');
    expect(sim.counts.api).toBe(0);

    const wrong = await rejected(rt.chooseValue(instance, 'tenant', 't-9'));
    expect(wrong.code).toBe('CHOICE_INVALID');
    expect(wrong.message).toContain('"t-2" (Demo US)');

    const chosen = await rt.chooseValue(instance, 'tenant', 't-2');
    expect(chosen.status).toBe('active');
    expect(chosen.pendingChoice).toBeUndefined();
    expect(chosen.captured).toEqual({ tenant_id: 't-2' });
    const { data } = await rt.callEndpoint<Echo>(chosen, 'invoices');
    expect(data.headers['xero-tenant-id']).toBe('t-2');
    expect((await rt.getInstance(instance.id))?.status).toBe('active');
    const again = await rejected(rt.chooseValue(instance, 'tenant', 't-1'));
    expect(again.code).toBe('CHOICE_INVALID');
  });

  it('runs the steps again on updateInstance, and refuses a captured value as a variable', async () => {
    sim.setQuirks({ discovery: [tenant('t-1', 'Demo UK')] });
    const rt = start(xero());
    const instance = await rt.completeAuthorization(await consent(rt));
    const refused = await rejected(
      rt.updateInstance(instance, { variables: { tenant_id: 'someone-else' } }),
    );
    expect(refused.code).toBe('VARIABLE_INVALID');

    sim.setQuirks({ discovery: [tenant('t-1', 'Demo UK'), tenant('t-3', 'New Co')] });
    const rerun = await rt.updateInstance(instance, { rerunPostAuthorization: true });
    expect(rerun.status).toBe('pending_choice');
    expect(rerun.pendingChoice?.choices.map((c) => c.id)).toEqual(['t-1', 't-3']);
    const chosen = await rt.chooseValue(rerun, 'tenant', 't-3');
    const { data } = await rt.callEndpoint<Echo>(chosen, 'invoices');
    expect(data.headers['xero-tenant-id']).toBe('t-3');
    expect(sim.counts.discovery).toBe(2);
  });

  it('keeps the instance (and its saved credentials) waiting when nothing is connected', async () => {
    const rt = start(xero());
    const error = await rejected(rt.completeAuthorization(await consent(rt)));
    expect(error.code).toBe('CAPTURE_INVALID');
    expect(error.details).toMatchObject({ reason: 'no_choices', stepId: 'tenant' });
    const [instance] = await rt.listInstances();
    expect(instance?.status).toBe('pending_choice');
    expect((await rejected(rt.callEndpoint(instance as Instance, 'invoices'))).code).toBe(
      'CHOICE_REQUIRED',
    );
  });

  it.each([
    ['cannot reach its server', 'ENDPOINT_REQUEST_FAILED', false],
    ['is refused (HTTP 403)', 'ENDPOINT_HTTP_ERROR', true],
  ] as const)(
    'names the saved instance and the step when the step %s',
    async (_, code, answers) => {
      const server = createServer((_req, res) => {
        res.statusCode = 403;
        res.end('{"error":"forbidden"}');
      });
      let origin = `http://127.0.0.1:${await freePort()}`;
      if (answers) {
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      }
      try {
        const rt = start(
          connector(
            {
              postAuthorization: [
                {
                  id: 'tenant',
                  url: `${origin}/connections`,
                  choices: { id: 'tenantId', label: 'tenantName' },
                  captured: [{ key: 'tenant_id', field: 'tenantId' }],
                },
              ],
            },
            [{ id: 'invoices', name: 'Invoices', url: `${sim.apiUrl}/api.xro/2.0/Invoices` }],
          ),
        );
        const error = await rejected(rt.completeAuthorization(await consent(rt)));
        expect(error.code).toBe(code);
        const [instance] = await rt.listInstances();
        expect(instance?.status).toBe('pending_choice');
        expect(error.details).toMatchObject({ instanceId: instance?.id, stepId: 'tenant' });
      } finally {
        if (answers) server.close();
      }
    },
  );

  it('introspects the new access token with a form body (HubSpot token metadata) and keeps the hub id', async () => {
    sim.setQuirks({ introspection: { hub_id: 62515, hub_domain: 'demo.hubspot.com' } });
    const rt = start(
      connector(
        {
          postAuthorization: [
            {
              id: 'token-info',
              method: 'POST',
              url: sim.introspectionUrl,
              bodyFormat: 'form',
              request: {
                body: {
                  client_id: '{{client_id}}',
                  client_secret: '{{client_secret}}',
                  token: '{{access_token}}',
                  token_type_hint: 'access_token',
                },
              },
              captured: [
                { key: 'hub_id', field: 'hub_id' },
                { key: 'hub_domain', field: 'hub_domain', required: false },
              ],
            },
          ],
        },
        [{ id: 'contacts', name: 'Contacts', url: `${sim.apiUrl}/crm/v3/objects/contacts` }],
      ),
    );
    const instance = await rt.completeAuthorization(await consent(rt));
    expect(instance.status).toBe('active');
    expect(instance.captured).toEqual({ hub_id: '62515', hub_domain: 'demo.hubspot.com' });
    const asked = sim.requests.find((r) => r.path === '/introspect');
    expect(asked?.status).toBe(200);
    expect(asked?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(asked?.params).toEqual({
      client_id: sim.clientId,
      client_secret: '[redacted]',
      token: '[redacted]',
      token_type_hint: 'access_token',
    });
    expect(sim.counts.introspection).toBe(1);
  });

  it('uses the Atlassian cloud id in every API path', async () => {
    sim.setQuirks({
      discovery: [{ id: 'cloud-1', name: 'acme', url: 'https://acme.atlassian.net' }],
    });
    const rt = start(
      connector(
        {
          postAuthorization: [
            {
              id: 'site',
              url: `${sim.issuer}/oauth/token/accessible-resources`,
              choices: { id: 'id', label: 'name' },
              captured: [{ key: 'cloud_id', field: 'id' }],
            },
          ],
        },
        [{ id: 'me', name: 'Me', url: `${sim.apiUrl}/ex/jira/{{cloud_id}}/rest/api/3/myself` }],
      ),
    );
    const instance = await rt.completeAuthorization(await consent(rt));
    const { data } = await rt.callEndpoint<Echo>(instance, 'me');
    expect(data.path).toBe('/api/ex/jira/cloud-1/rest/api/3/myself');
  });
});

describe('secrets', () => {
  it('keeps a secret captured value encrypted at rest', async () => {
    const secret = `sk_live_${randomBytes(12).toString('hex')}`;
    audit.secret(secret);
    sim.setQuirks({ tokenExtras: { signing_key: secret, instance_url: sim.issuer } });
    const dir = mkdtempSync(join(tmpdir(), 'splice-captured-'));
    const store = new SqliteStore({
      path: join(dir, 'splice.db'),
      encryption: { keys: [{ id: 'k1', key: randomBytes(32) }], require: true },
    });
    try {
      const rt = start(
        connector(
          {
            captured: [
              { key: 'signing_key', from: 'token', field: 'signing_key', secret: true },
              { key: 'instance_url', from: 'token', field: 'instance_url', origins: [sim.issuer] },
            ],
          },
          [{ id: 'q', name: 'Q', url: '{{instance_url}}/api/q' }],
        ),
        undefined,
        audit.logger,
        store,
      );
      const instance = await rt.completeAuthorization(await consent(rt));
      expect((await rt.callEndpoint<Echo>(instance, 'q')).data.path).toBe('/api/q');
      await rt.close();
      runtime = undefined;
      await store.close();
      // Every file SQLite wrote (the database, its WAL): neither value appears in clear.
      for (const file of readdirSync(dir)) {
        const bytes = readFileSync(join(dir, file)).toString('latin1');
        expect(bytes.includes(secret)).toBe(false);
        expect(bytes.includes(sim.issuer)).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hides a secret captured value from the instance view and every error', async () => {
    sim.setQuirks({ tokenExtras: { signing_key: 'sk_live_4f9a2b7c1d' } });
    audit.secret('sk_live_4f9a2b7c1d');
    const rt = start(
      connector(
        { captured: [{ key: 'signing_key', from: 'token', field: 'signing_key', secret: true }] },
        [{ id: 'missing', name: 'Missing', url: `${sim.issuer}/nowhere/{{signing_key}}` }],
      ),
    );
    const instance = await rt.completeAuthorization(await consent(rt));
    expect(instance.captured).toEqual({ signing_key: '[redacted]' });
    const error = await rejected(rt.callEndpoint(instance, 'missing'));
    expect(error.code).toBe('ENDPOINT_HTTP_ERROR');
    audit.serialized(await rt.listInstances());
  });
});

// A throw-away certificate for the NetSuite-shaped host needs openssl.
const openssl = checkOpenssl();

describe.skipIf(!openssl.available)(
  `value transforms (NetSuite account id in the host)${openssl.reason}`,
  () => {
    it('turns 1234567_SB1 into the 1234567-sb1 host, and says which form a bare value needs', async () => {
      const netsuite = await startNetSuiteLikeServer();
      // The simulator's loopback tokens, the API over real TLS at a NetSuite-shaped host name that
      // resolves to 127.0.0.1 for this runtime only.
      const agent = new Agent({ connect: { ca: netsuite.ca, lookup: netsuite.lookup } });
      try {
        const host = `suitetalk.api.netsuite.com:${netsuite.port}`;
        const rt = start(
          connector(
            {},
            [
              {
                id: 'customers',
                name: 'Customers',
                url: `https://{{account | lower | replace:"_":"-"}}.${host}/services/rest/record/v1/customer`,
              },
              { id: 'bare', name: 'Bare', url: `https://{{account}}.${host}/x` },
            ],
            [{ key: 'account', required: true }],
          ),
          agent,
        );
        const instance = await rt.completeAuthorization(
          await consent(rt, { account: '1234567_SB1' }),
        );
        const { data } = await rt.callEndpoint<Echo>(instance, 'customers');
        expect(data.headers['host']).toBe(`1234567-sb1.${host}`);
        expect(data.path).toBe('/services/rest/record/v1/customer');

        const error = await rejected(rt.callEndpoint(instance, 'bare'));
        expect(error.code).toBe('TEMPLATE_UNSAFE_VALUE');
        expect(error.message).toContain('holds "_"');
        expect(error.message).toContain('1-63 letters, digits or "-"');
        expect(netsuite.requests).toBe(1);
      } finally {
        await agent.close();
        await netsuite.close();
      }
    });
  },
);
