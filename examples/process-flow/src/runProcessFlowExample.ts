import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  type Credentials,
  type Instance,
  type JsonValue,
  MemoryStore,
  parseConnectorText,
  type SpliceError,
  type Store,
  storeKeys,
} from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { builtInStrategies } from '@splice/strategies/built-in';
import {
  type AuthorizationServer,
  completeConsent,
  startAuthorizationServer,
  startResourceServer,
} from '@splice/testkit';
import { type ConnectorShape, createFlowEngine } from './flow/createFlowEngine.js';
import type { Flow, FlowRun } from './flow/Flow.js';

/** Options of {@link runProcessFlowExample}. */
export interface ProcessFlowExampleOptions {
  /** Receives the example's narration; default `console.log`. */
  readonly log?: (line: string) => void;
}

/** What the example observed, for its test and its printout. */
export interface ProcessFlowExampleResult {
  /** The connector shape of the OAuth 2 instance: the endpoints it offers. */
  readonly shape: ConnectorShape;
  /** The first run: completes. */
  readonly firstRun: FlowRun;
  /** The run after the grant lapsed: paused on `REAUTHORIZATION_REQUIRED`. */
  readonly pausedRun: FlowRun;
  /** `reauthorizationRequired` events the engine received. */
  readonly events: readonly { instanceId: string; code: string }[];
  /** The instance's status after the user reconnected it. */
  readonly reconnectedStatus?: string;
  /** The paused run, resumed with the reconnected instance: completes. */
  readonly resumedRun: FlowRun;
}

const ACME_YAML = fileURLToPath(
  new URL('../../../apps/demo/connectors/acme.yaml', import.meta.url),
);

/**
 * The process-flow example end to end: an oidc-provider authorization server and an API on
 * loopback, the Acme connector, an OAuth 2 instance added through the real consent pages, and a
 * flow engine that runs "welcome a customer" (list customers → build a name → create the
 * customer). Then the user revokes the app at the provider: the next run pauses on
 * `REAUTHORIZATION_REQUIRED`, the engine hears the `reauthorizationRequired` event, the user
 * reconnects, and the paused run resumes where it stopped.
 *
 * @example
 * ```ts
 * const result = await runProcessFlowExample();
 * result.pausedRun.status; // 'paused'
 * ```
 */
export async function runProcessFlowExample(
  options: ProcessFlowExampleOptions = {},
): Promise<ProcessFlowExampleResult> {
  const log = options.log ?? console.log;
  const callbackUrl = 'http://127.0.0.1/callback';
  const auth = await startAuthorizationServer({
    clients: [
      {
        clientId: 'flow-engine',
        redirectUris: [callbackUrl],
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
    ],
    scopes: ['api'],
  });
  const api = await startResourceServer({ verify: (token) => auth.verifyAccessToken(token) });
  // Acme's definition has a method of every built-in type: each needs its strategy registered.
  const strategies = builtInStrategies();
  // The Acme definition names Acme's public origins; here they are the loopback servers.
  const text = (await readFile(ACME_YAML, 'utf8'))
    .replaceAll('https://auth.acme.example', auth.issuer)
    .replaceAll('https://api.acme.example', api.url);
  const acme = parseConnectorText(text, 'yaml', { strategies, source: ACME_YAML });
  const store = new MemoryStore();
  const runtime = createRuntime({ connectors: [acme], strategies, callbackUrl, store });
  try {
    const client = auth.clients[0]!;
    // Connect a new instance, or reconnect (renew the consent of) an existing one.
    const connect = async (instanceId?: string): Promise<Instance> => {
      const { authorizationUrl } = await runtime.beginAuthorization(
        instanceId !== undefined
          ? { instanceId }
          : {
              connectorId: 'acme',
              authMethodId: 'acme-oauth',
              name: 'Acme (flows)',
              variables: {
                account: 'northwind',
                client_id: client.clientId,
                client_secret: client.clientSecret,
              },
            },
      );
      // A person would click through these pages; the testkit plays them over plain HTTP.
      return runtime.completeAuthorization(await completeConsent(authorizationUrl));
    };

    const events: { instanceId: string; code: string }[] = [];
    const engine = createFlowEngine({
      runtime,
      onReauthorizationRequired: (instance: Instance, error: SpliceError) => {
        events.push({ instanceId: instance.id, code: error.code });
        log(`event reauthorizationRequired: instance ${instance.id} must be reconnected`);
      },
    });

    const instance = await connect();
    log(`connected instance ${instance.id} (${instance.authMethodId})`);
    const shape = await engine.connectorShape(instance.id);
    log(`connector shape offers: ${shape.endpoints.map((e) => e.id).join(', ')}`);

    const welcome: Flow = {
      id: 'welcome-customer',
      steps: [
        {
          kind: 'connector',
          name: 'customers',
          instanceId: instance.id,
          endpointId: 'list-customers',
        },
        {
          kind: 'transform',
          name: 'fullName',
          run: ({ input }) => `${String(input['firstName'])} ${String(input['lastName'])}`,
        },
        {
          kind: 'connector',
          name: 'created',
          instanceId: instance.id,
          endpointId: 'create-customer',
          variables: ({ outputs }) => ({ customer_name: String(outputs['fullName']) }),
        },
      ],
    };
    const input: Record<string, JsonValue> = { firstName: 'Ada', lastName: 'Lovelace' };
    const firstRun = await engine.run(welcome, input);
    log(`first run: ${firstRun.status}`);

    // The user revokes the app at the provider (its "connected apps" page): the grant, its refresh
    // token and access tokens are gone, so the next refresh is refused with invalid_grant.
    await revokeAtProvider(auth, store, instance.id);
    const pausedRun = await engine.run(welcome, { firstName: 'Grace', lastName: 'Hopper' });
    log(
      `second run: ${pausedRun.status}${pausedRun.status === 'paused' ? ` at "${pausedRun.stepName}": ${pausedRun.message}` : ''}`,
    );

    let resumedRun: FlowRun = pausedRun;
    let reconnectedStatus: string | undefined;
    if (pausedRun.status === 'paused') {
      const reconnected = await connect(pausedRun.instanceId);
      reconnectedStatus = reconnected.status;
      log(`reconnected instance ${reconnected.id}: ${reconnected.status}`);
      resumedRun = await engine.resume(welcome, pausedRun);
      log(`resumed run: ${resumedRun.status}`);
    }
    return {
      shape,
      firstRun,
      pausedRun,
      events,
      resumedRun,
      ...(reconnectedStatus === undefined ? {} : { reconnectedStatus }),
    };
  } finally {
    await runtime.close();
    await api.close();
    await auth.close();
  }
}

// Plays the user revoking the app in the provider's settings: a token revocation request (RFC 7009)
// for the instance's refresh token, which oidc-provider answers by revoking the whole grant. Only
// this simulation reads the credentials; an engine never needs to.
async function revokeAtProvider(
  auth: AuthorizationServer,
  store: Store,
  instanceId: string,
): Promise<void> {
  const entry = await store.get(storeKeys.credentials(instanceId));
  const credentials = entry?.value as unknown as Credentials | undefined;
  const token = credentials?.values['refresh_token'];
  if (token === undefined) throw new Error(`instance ${instanceId} has no refresh token to revoke`);
  const client = auth.clients[0]!;
  const response = await fetch(`${auth.issuer}/token/revocation`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token, token_type_hint: 'refresh_token' }),
  });
  if (!response.ok) throw new Error(`revocation answered HTTP ${response.status}`);
}
