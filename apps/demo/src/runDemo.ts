import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type CallbackServer, startCallbackServer } from '@splice/cli';
import {
  type ConnectorDefinition,
  type Instance,
  invalidArgument,
  type JsonValue,
  replaceUrlPrefixes,
  SpliceError,
} from '@splice/core';
import { createRuntime, loadConnector } from '@splice/endpoint-runtime';
import { SqliteStore } from '@splice/store-sqlite';
import { builtInStrategies } from '@splice/strategies/built-in';
import { freePort } from '@splice/testkit';
import { acmeApi } from './acmeApi.js';
import { createDemoLog, type DemoLog, type DemoStep, formatMs } from './createDemoLog.js';
import { loadDemoState, resolveStateDir, saveDemoState } from './demoState.js';
import { formatTable } from './formatTable.js';
import { withoutOidcNotices } from './withoutOidcNotices.js';

/** The runtime the demo builds. */
export type DemoRuntime = ReturnType<typeof createRuntime>;

/** What `--ui` calls to serve the dashboard; default `@splice-apps/dashboard`'s `startDashboard`. */
export type StartDashboard = (options: {
  runtime: DemoRuntime;
  connectors: readonly ConnectorDefinition[];
  host?: string;
  port?: number;
}) => Promise<{ url: string; close(): Promise<void> }>;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** State directory; default `$SPLICE_HOME`, else `.splice` in the working directory. */
  readonly stateDir?: string;
  /** Connector file; default the demo's own `connectors/acme.yaml`. */
  readonly connectorPath?: string;
  /** The Acme account (connector variable); default `northwind`. */
  readonly account?: string;
  /** Print the authorise URL and wait for the user's browser instead of consenting headlessly. */
  readonly browser?: boolean;
  /** Start the dashboard after the run and keep serving until `signal` aborts. */
  readonly ui?: boolean;
  /** Port of the callback server (`browser`) or of the dashboard (`ui`); default a free one. */
  readonly port?: number;
  readonly startDashboard?: StartDashboard;
  /** Where the log goes; default `process.stdout`. */
  readonly stdout?: NodeJS.WritableStream & { readonly isTTY?: boolean };
  /** Spinners; default only when `stdout` is a TTY. */
  readonly spinners?: boolean;
  /** Aborting stops the demo (Ctrl-C); everything started is closed. */
  readonly signal?: AbortSignal;
}

/** How an instance came to be in this run. */
export type DemoInstanceOrigin =
  | 'consent'
  | 'token'
  | 'checked'
  | 'client-credentials'
  | 'oauth1-consent'
  | 'pre-issued'
  | 'reused'
  | 'reconsented';

/** One instance in the summary. */
export interface DemoInstanceSummary {
  readonly id: string;
  readonly name: string;
  readonly authMethodId: string;
  readonly origin: DemoInstanceOrigin;
  /** Endpoint ids `listEndpoints` offered for it. */
  readonly endpoints: readonly string[];
}

/** One endpoint call in the summary. */
export interface DemoCallSummary {
  readonly instance: string;
  readonly endpointId: string;
  /** `200`, or the error code for a refused call (e.g. `ENDPOINT_NOT_ENABLED`). */
  readonly outcome: string;
  readonly ms: number;
}

/** What the demo did, as data (the table printed at the end shows the same). */
export interface DemoSummary {
  readonly stateDir: string;
  readonly instances: readonly DemoInstanceSummary[];
  readonly calls: readonly DemoCallSummary[];
  /**
   * The server-side expiry: tokens revoked, refresh grants (authorization code) and new
   * client-credentials tokens served, requests refused then replayed.
   */
  readonly refresh: {
    readonly tokensExpired: number;
    readonly refreshGrants: number;
    readonly clientCredentialsGrants: number;
    readonly rejectedRequests: number;
    readonly succeeded: boolean;
  };
  /** Authorization-code grants (consents) the server served during this run. */
  readonly consents: number;
  /** OAuth 1 authorizations (three-legged) the Acme Ledger served during this run. */
  readonly oauth1Authorizations: number;
  readonly steps: readonly DemoStep[];
  /** The dashboard's URL with `ui`. */
  readonly dashboardUrl?: string;
}

const AUTH_ORIGIN = 'https://auth.acme.example';
const API_ORIGIN = 'https://api.acme.example';
const LEDGER_ORIGIN = 'https://ledger.acme.example';
const OAUTH_METHOD = 'acme-oauth';
const TOKEN_METHOD = 'acme-token';
const BASIC_METHOD = 'acme-basic';
const SERVICE_METHOD = 'acme-service';
const LEDGER_OAUTH1_METHOD = 'acme-ledger-oauth1';
const LEDGER_TBA_METHOD = 'acme-ledger-tba';
/** The methods the scripted run adds an instance of; another connector file is served only. */
const SCRIPTED_METHODS = [
  OAUTH_METHOD,
  TOKEN_METHOD,
  BASIC_METHOD,
  SERVICE_METHOD,
  LEDGER_OAUTH1_METHOD,
  LEDGER_TBA_METHOD,
];

/** The demo's Acme connector. */
export const DEFAULT_CONNECTOR_PATH = fileURLToPath(
  new URL('../connectors/acme.yaml', import.meta.url),
);

/**
 * Runs the Splice demo end to end on loopback: an oidc-provider authorization server with real
 * login and consent pages, an Acme API that accepts only its tokens (and an API token or a Basic
 * user), an OAuth 1 provider (Acme Ledger), the Acme connector loaded from YAML, an OAuth 2
 * instance added through the real redirect flow and one instance of every other built-in type
 * (token, basic, client credentials, OAuth 1 three-legged and pre-issued), endpoints listed per
 * instance and called (gating across them), then a server-side token expiry that Splice answers
 * with one refresh, one new client-credentials token and one replay each. State (SQLite store, provider grants and keys)
 * lives in `stateDir`, so the next run reuses both instances without a new consent.
 *
 * @example
 * ```ts
 * const summary = await runDemo({ stateDir: '/tmp/splice-demo' });
 * console.log(summary.refresh.refreshGrants); // 1
 * ```
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const stdout = options.stdout ?? process.stdout;
  const log = createDemoLog({
    stream: stdout,
    ...(options.spinners === undefined ? {} : { spinners: options.spinners }),
  });
  const signal = options.signal ?? new AbortController().signal;
  const stateDir = resolveStateDir(options.stateDir);
  const account = options.account ?? 'northwind';
  const connectorPath = options.connectorPath ?? DEFAULT_CONNECTOR_PATH;
  const cleanups: (() => Promise<unknown>)[] = [];
  const checkAborted = (): void => signal.throwIfAborted();

  log.line(
    'Splice demo: a connector with every built-in authentication type, end to end, on loopback',
  );
  log.line(`State directory: ${stateDir}`);
  log.line();
  try {
    const { state, created } = await log.step('Prepare the state directory', async (note) => {
      const loaded = loadDemoState(stateDir);
      note(
        loaded.created
          ? 'first run: generated the client secret, signing key and API token (demo.json, mode 0600)'
          : 'found demo.json from an earlier run: same client, keys and API token',
      );
      return loaded;
    });

    // The redirect URI must be registered before the provider starts, so its port is fixed now.
    let callbackServer: CallbackServer | undefined;
    let dashboardPort: number | undefined;
    if (options.browser === true) {
      callbackServer = await startCallbackServer(
        options.ui === true || options.port === undefined ? {} : { port: options.port },
      );
      cleanups.push(() => callbackServer!.close());
    }
    if (options.ui === true) dashboardPort = options.port ?? (await freePort());
    const callbackUrl = callbackServer?.callbackUrl ?? 'http://127.0.0.1/callback';
    const redirectUris = [callbackUrl];
    if (dashboardPort !== undefined) {
      for (const path of ['/oauth/callback', '/callback']) {
        redirectUris.push(`http://127.0.0.1:${dashboardPort}${path}`);
      }
    }

    checkAborted();
    const authServer = await log.step(
      'Start the authorization server (oidc-provider)',
      async (note) => {
        // The testkit's oidc-provider harness, kept across runs: its grants and tokens in a data
        // file, its client, signing and cookie keys in demo.json.
        const secrets = state.authorizationServer;
        const server = await withoutOidcNotices(async () => {
          const { startAuthorizationServer } = await import('@splice/testkit');
          return startAuthorizationServer({
            clients: [
              {
                clientId: secrets.clientId,
                clientSecret: secrets.clientSecret,
                clientName: 'Splice demo',
                redirectUris,
                tokenEndpointAuthMethod: 'client_secret_basic',
              },
            ],
            scopes: ['api'],
            refreshTokenTtlSeconds: 30 * 24 * 3600,
            dataFile: join(stateDir, 'authorization-server-data.json'),
            signingKeys: secrets.jwks.keys,
            cookieKeys: secrets.cookieKeys,
          });
        });
        note(
          `issuer ${server.issuer}  (login and consent pages, PKCE required, refresh tokens rotate)`,
        );
        note(
          'grants and tokens persist in authorization-server-data.json; keys and client in demo.json',
        );
        return server;
      },
    );
    cleanups.push(() => authServer.close());

    checkAborted();
    const api = await log.step('Start the Acme API', async (note) => {
      const { startResourceServer } = await import('@splice/testkit');
      const started = await startResourceServer(
        acmeApi({
          verifyAccessToken: (token) => authServer.verifyAccessToken(token),
          apiToken: state.apiToken,
          basic: state.basic,
        }),
      );
      note(`${started.url}  (accepts the server's access tokens, the API token or the Basic user)`);
      return started;
    });
    cleanups.push(() => api.close());

    checkAborted();
    const ledger = await log.step('Start Acme Ledger (an OAuth 1 provider)', async (note) => {
      const { startOAuth1Provider } = await import('@splice/testkit');
      const started = await startOAuth1Provider({
        consumers: [state.ledger.consumer],
        issuedTokens: [state.ledger.issuedToken],
      });
      note(
        `${new URL(started.apiUrl).origin}  (RFC 5849 redirect flow and pre-issued tokens; checks every signature)`,
      );
      return started;
    });
    cleanups.push(() => ledger.close());
    const ledgerOrigin = new URL(ledger.apiUrl).origin;

    checkAborted();
    const connector = await log.step('Load the Acme connector', async (note) => {
      const loaded = await loadConnector(connectorPath);
      note(
        `${relative(process.cwd(), connectorPath) || connectorPath}: ${loaded.name} v${loaded.version}`,
      );
      note(
        `${loaded.authMethods.length} auth methods (${loaded.authMethods.map((m) => `${m.id}: ${m.type}`).join(', ')}), ${loaded.endpoints.length} endpoints`,
      );
      note(
        `${AUTH_ORIGIN} → ${authServer.issuer}, ${API_ORIGIN} → ${api.url}, ${LEDGER_ORIGIN} → ${ledgerOrigin}`,
      );
      // The definition file stays a real-looking connector that `splice validate` accepts as it
      // is; its public origins are re-pointed at the loopback servers, whose ports change per run.
      // Another connector file (--ui) may use none of them.
      return replaceUrlPrefixes(
        loaded,
        {
          [AUTH_ORIGIN]: authServer.issuer,
          [API_ORIGIN]: api.url,
          [LEDGER_ORIGIN]: ledgerOrigin,
        },
        { ignoreUnmatched: true },
      );
    });
    // The scripted run needs the Acme methods; any other connector file is opened in the
    // dashboard only, with every strategy Splice ships.
    const missing = SCRIPTED_METHODS.filter(
      (id) => !connector.authMethods.some((method) => method.id === id),
    );
    const scripted = missing.length === 0;
    if (!scripted && options.ui !== true) {
      throw invalidArgument(
        `${relative(process.cwd(), connectorPath) || connectorPath} has no ${missing.map((id) => `"${id}"`).join(', ')} method, which the scripted demo runs. Add --ui to open this connector in the dashboard instead.`,
      );
    }

    checkAborted();
    const runtime = await log.step('Create the runtime on the SQLite store', async (note) => {
      const store = new SqliteStore({
        path: join(stateDir, 'splice.db'),
        encryption: { keys: [{ id: 'demo', key: state.storeKey }] },
      });
      const strategies = builtInStrategies();
      const created = createRuntime({
        connectors: [connector],
        strategies,
        store,
        callbackUrl,
      });
      cleanups.push(async () => {
        await created.close();
        await store.close();
      });
      note(`store ${join(stateDir, 'splice.db')} (secrets AES-256-GCM encrypted at rest)`);
      note(`strategies: ${strategies.map((strategy) => strategy.type).join(', ')}`);
      return created;
    });

    const startUi = async (): Promise<string> => {
      checkAborted();
      const startDashboard =
        options.startDashboard ?? (await import('@splice-apps/dashboard')).startDashboard;
      return log.step('Start the dashboard', async (note) => {
        const dashboard = await startDashboard({
          runtime,
          connectors: runtime.listConnectors(),
          host: '127.0.0.1',
          ...(dashboardPort === undefined ? {} : { port: dashboardPort }),
        });
        cleanups.push(() => dashboard.close());
        note(dashboard.url);
        return dashboard.url;
      });
    };
    const serveUntilStopped = async (url: string): Promise<void> => {
      log.line();
      log.line(`Dashboard on ${url}. Press Ctrl-C to stop.`);
      log.line(
        `To add more instances there: client_id ${state.authorizationServer.clientId}; the secrets (authorizationServer.clientSecret, apiToken, basic, ledger) are in ${join(stateDir, 'demo.json')}.`,
      );
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    };
    if (!scripted) {
      log.line();
      log.line(
        `${connector.name} is not the Acme connector: no scripted run; its instances are added in the dashboard.`,
      );
      const url = await startUi();
      await serveUntilStopped(url);
      return {
        stateDir,
        instances: [],
        calls: [],
        refresh: {
          tokensExpired: 0,
          refreshGrants: 0,
          clientCredentialsGrants: 0,
          rejectedRequests: 0,
          succeeded: false,
        },
        consents: 0,
        oauth1Authorizations: 0,
        steps: log.steps,
        dashboardUrl: url,
      };
    }
    const reauthorizations: string[] = [];
    runtime.on('reauthorizationRequired', (instance: Instance) => {
      reauthorizations.push(instance.id);
    });

    const calls: DemoCallSummary[] = [];
    const call = async (
      instance: Instance,
      endpointId: string,
      note: (line: string) => void,
      variables: Record<string, string> = {},
    ): Promise<boolean> => {
      const started = performance.now();
      try {
        const result = await runtime.callEndpoint(instance.id, endpointId, { variables });
        const ms = Math.round(performance.now() - started);
        calls.push({ instance: instance.name, endpointId, outcome: String(result.status), ms });
        note(
          `${endpointId.padEnd(16)} → ${result.status} ${describeData(result.data)}  ${formatMs(ms)}`,
        );
        return true;
      } catch (error) {
        const ms = Math.round(performance.now() - started);
        if (!SpliceError.is(error) || error.code === 'REAUTHORIZATION_REQUIRED') throw error;
        calls.push({ instance: instance.name, endpointId, outcome: error.code, ms });
        note(
          `${endpointId.padEnd(16)} → ${error.code}${error.code === 'ENDPOINT_NOT_ENABLED' ? ' (gated: not enabled for this method)' : ''}`,
        );
        return false;
      }
    };

    // --- OAuth 2 instance: reuse the stored one when it still works, else the redirect flow.
    checkAborted();
    const consentsBefore = authServer.counts.authorizationCode;
    // A new instance, or (given `reauthorize`) a new consent for a stored one whose grant is gone.
    const addByConsent = async (
      note: (line: string) => void,
      reauthorize?: Instance,
    ): Promise<Instance> => {
      const begun = await runtime.beginAuthorization(
        reauthorize !== undefined
          ? { instanceId: reauthorize.id }
          : {
              connectorId: connector.id,
              authMethodId: OAUTH_METHOD,
              name: `Acme OAuth (${account})`,
              variables: {
                account,
                client_id: state.authorizationServer.clientId,
                client_secret: state.authorizationServer.clientSecret,
              },
            },
      );
      let callback: string;
      if (callbackServer !== undefined) {
        log.line();
        log.line(
          '  Open this URL in your browser, sign in with any login and password, and approve:',
        );
        log.line(`  ${begun.authorizationUrl}`);
        log.line(`  Waiting for the redirect to ${callbackServer.callbackUrl} … (Ctrl-C to stop)`);
        log.line();
        callback = await callbackServer.next(signal);
        note('the browser came back to the callback server');
      } else {
        const authorise = new URL(begun.authorizationUrl);
        note(
          `authorise URL ${authorise.origin}${authorise.pathname}?… (state, PKCE S256 challenge)`,
        );
        // The testkit's scripted user: real HTTP against the real login and consent pages.
        const { completeConsent } = await withoutOidcNotices(() => import('@splice/testkit'));
        callback = await completeConsent(begun.authorizationUrl, { login: 'demo-user' });
        note("signed in and approved on oidc-provider's login and consent pages (headless)");
      }
      const instance = await runtime.completeAuthorization(callback);
      note(`state checked once, code exchanged at the token URL: instance ${instance.id} saved`);
      return instance;
    };
    let oauthOrigin: DemoInstanceOrigin = 'consent';
    const storedOAuth = await findInstance(runtime, state.oauthInstanceId);
    const oauthInstance = await log.step(
      storedOAuth === undefined
        ? 'Add an OAuth 2 instance through the redirect flow'
        : 'Reuse the stored OAuth 2 instance',
      async (note) => {
        if (storedOAuth !== undefined) {
          note(`instance ${storedOAuth.id} (${storedOAuth.name}) from the SQLite store`);
          try {
            if (await call(storedOAuth, 'list-products', note)) {
              oauthOrigin = 'reused';
              note('its stored credentials work: no new consent needed');
              return storedOAuth;
            }
          } catch (error) {
            if (!SpliceError.is(error, 'REAUTHORIZATION_REQUIRED')) throw error;
            note(
              "REAUTHORIZATION_REQUIRED: the stored grant is gone; renewing the same instance's consent",
            );
          }
          oauthOrigin = 'reconsented';
          return addByConsent(note, storedOAuth);
        }
        return addByConsent(note);
      },
    );
    state.oauthInstanceId = oauthInstance.id;
    saveDemoState(stateDir, state);

    // --- Token instance: non-interactive, checked against the API before it is saved.
    checkAborted();
    const storedToken = await findInstance(runtime, state.tokenInstanceId);
    const tokenInstance = await log.step(
      storedToken === undefined ? 'Add a token instance' : 'Reuse the stored token instance',
      async (note) => {
        if (storedToken !== undefined) {
          note(`instance ${storedToken.id} (${storedToken.name}) from the SQLite store`);
          return storedToken;
        }
        const added = await runtime.addInstance({
          connectorId: connector.id,
          authMethodId: TOKEN_METHOD,
          name: `Acme token (${account})`,
          variables: { account, token: state.apiToken },
        });
        note(`token checked at the method's test URL, then saved: instance ${added.id}`);
        return added;
      },
    );
    state.tokenInstanceId = tokenInstance.id;
    saveDemoState(stateDir, state);

    // --- One instance of each other type: added at once, except OAuth 1's redirect flow.
    checkAborted();
    const oauth1Before = ledger.counts.authorizations;
    const consumer = {
      consumer_key: state.ledger.consumer.key,
      consumer_secret: state.ledger.consumer.secret,
    };
    const others = await log.step(
      state.instanceIds === undefined
        ? 'Add an instance of each other authentication type'
        : 'Reuse (or add) the instances of the other authentication types',
      async (note) => {
        const ids: Record<string, string> = { ...state.instanceIds };
        const added = new Map<string, { instance: Instance; origin: DemoInstanceOrigin }>();
        const say = (methodId: string, line: string): void =>
          note(`${methodId.padEnd(19)} ${line}`);
        // Temporary credentials → the provider's authorization page (it approves at once) →
        // token credentials; with `reauthorize`, for the stored instance.
        const authorizeLedger = async (reauthorize?: Instance): Promise<Instance> => {
          const begun = await runtime.beginAuthorization(
            reauthorize !== undefined
              ? { instanceId: reauthorize.id }
              : {
                  connectorId: connector.id,
                  authMethodId: LEDGER_OAUTH1_METHOD,
                  name: `Acme Ledger OAuth 1 (${account})`,
                  variables: { account, ...consumer },
                },
          );
          return runtime.completeAuthorization(await ledger.consent(begun.authorizationUrl));
        };
        const plans: {
          methodId: string;
          name: string;
          variables: Record<string, string>;
          origin: DemoInstanceOrigin;
          how: string;
        }[] = [
          {
            methodId: BASIC_METHOD,
            name: `Acme Basic (${account})`,
            variables: { username: state.basic.username, password: state.basic.password },
            origin: 'checked',
            how: "user and password checked at the method's test URL, then saved",
          },
          {
            methodId: SERVICE_METHOD,
            name: `Acme service account (${account})`,
            variables: {
              client_id: state.authorizationServer.clientId,
              client_secret: state.authorizationServer.clientSecret,
            },
            origin: 'client-credentials',
            how: 'client_credentials grant at the token URL (no user), token saved',
          },
          {
            methodId: LEDGER_TBA_METHOD,
            name: `Acme Ledger TBA (${account})`,
            variables: {
              ...consumer,
              token_id: state.ledger.issuedToken.key,
              token_secret: state.ledger.issuedToken.secret,
            },
            origin: 'pre-issued',
            how: 'pre-issued token credentials saved; every request signed (HMAC-SHA256)',
          },
        ];
        for (const plan of plans) {
          const stored = await findInstance(runtime, ids[plan.methodId]);
          if (stored !== undefined) {
            say(plan.methodId, `instance ${stored.id} reused from the SQLite store`);
            added.set(plan.methodId, { instance: stored, origin: 'reused' });
            continue;
          }
          const instance = await runtime.addInstance({
            connectorId: connector.id,
            authMethodId: plan.methodId,
            name: plan.name,
            variables: { account, ...plan.variables },
          });
          say(plan.methodId, `${plan.how}: instance ${instance.id}`);
          added.set(plan.methodId, { instance, origin: plan.origin });
        }
        const storedLedger = await findInstance(runtime, ids[LEDGER_OAUTH1_METHOD]);
        let ledgerInstance: { instance: Instance; origin: DemoInstanceOrigin };
        if (storedLedger === undefined) {
          const instance = await authorizeLedger();
          say(
            LEDGER_OAUTH1_METHOD,
            `temporary credentials → authorization (headless) → token credentials: instance ${instance.id}`,
          );
          ledgerInstance = { instance, origin: 'oauth1-consent' };
        } else {
          try {
            await runtime.callEndpoint(storedLedger.id, 'list-invoices');
            say(LEDGER_OAUTH1_METHOD, `instance ${storedLedger.id} reused from the SQLite store`);
            ledgerInstance = { instance: storedLedger, origin: 'reused' };
          } catch (error) {
            if (!SpliceError.is(error, 'ENDPOINT_HTTP_ERROR')) throw error;
            // The provider keeps the token credentials it issued in memory only.
            const instance = await authorizeLedger(storedLedger);
            say(
              LEDGER_OAUTH1_METHOD,
              `instance ${instance.id}: the provider no longer knew its token (HTTP ${String(error.details['status'])}), authorized again`,
            );
            ledgerInstance = { instance, origin: 'reconsented' };
          }
        }
        added.set(LEDGER_OAUTH1_METHOD, ledgerInstance);
        state.instanceIds = Object.fromEntries(
          [...added].map(([methodId, { instance }]) => [methodId, instance.id]),
        );
        return added;
      },
    );
    saveDemoState(stateDir, state);
    const other = (methodId: string): Instance => others.get(methodId)!.instance;

    // --- Gating: each instance sees only the endpoints its method is enabled on.
    checkAborted();
    const endpoints = await log.step('List endpoints per instance', async (note) => {
      const listed = new Map<string, string[]>();
      for (const instance of [
        oauthInstance,
        tokenInstance,
        ...[...others.values()].map((o) => o.instance),
      ]) {
        const ids = (await runtime.listEndpoints(instance.id)).map((endpoint) => endpoint.id);
        listed.set(instance.id, ids);
        note(`${instance.authMethodId.padEnd(19)} ${ids.join(', ')}`);
      }
      return listed;
    });

    checkAborted();
    await log.step('Call endpoints with the OAuth 2 instance', async (note) => {
      await call(oauthInstance, 'list-products', note, { limit: '2' });
      await call(oauthInstance, 'get-product', note, { product_id: 'p-200' });
      await call(oauthInstance, 'list-customers', note);
      await call(oauthInstance, 'create-customer', note, { customer_name: 'Marvin Martian' });
      await call(oauthInstance, 'list-orders', note);
    });
    checkAborted();
    await log.step('Call endpoints with the token instance', async (note) => {
      await call(tokenInstance, 'list-products', note);
      await call(tokenInstance, 'list-orders', note, { status: 'open' });
      await call(tokenInstance, 'list-customers', note);
    });
    checkAborted();
    await log.step('Call endpoints with the other instances', async (note) => {
      const as =
        (methodId: string) =>
        (line: string): void =>
          note(`${methodId.padEnd(19)} ${line}`);
      await call(other(BASIC_METHOD), 'list-products', as(BASIC_METHOD), { limit: '2' });
      await call(other(BASIC_METHOD), 'list-customers', as(BASIC_METHOD));
      await call(other(SERVICE_METHOD), 'list-customers', as(SERVICE_METHOD));
      await call(other(SERVICE_METHOD), 'create-customer', as(SERVICE_METHOD), {
        customer_name: 'Marvin Martian',
      });
      await call(other(LEDGER_OAUTH1_METHOD), 'list-invoices', as(LEDGER_OAUTH1_METHOD));
      await call(other(LEDGER_TBA_METHOD), 'list-invoices', as(LEDGER_TBA_METHOD));
      await call(other(LEDGER_TBA_METHOD), 'list-products', as(LEDGER_TBA_METHOD));
    });

    // --- Server-side expiry: the API refuses the cached token; Splice refreshes and replays once.
    checkAborted();
    const tokensExpired = await log.step('Expire the access tokens server-side', async (note) => {
      const count = await authServer.expireAll();
      note(
        `revoked ${count} access token(s) at the authorization server; refresh tokens stay valid`,
      );
      return count;
    });
    checkAborted();
    const refreshesBefore = authServer.counts.refreshToken;
    const clientCredentialsBefore = authServer.counts.clientCredentials;
    const rejectedBefore = api.counts.rejected;
    const refreshed = await log.step('Call again: refresh and replay', async (note) => {
      const ok = await call(oauthInstance, 'list-customers', (line) =>
        note(`${OAUTH_METHOD.padEnd(19)} ${line}`),
      );
      const service = await call(other(SERVICE_METHOD), 'list-customers', (line) =>
        note(`${SERVICE_METHOD.padEnd(19)} ${line}`),
      );
      const refreshGrants = authServer.counts.refreshToken - refreshesBefore;
      const clientCredentialsGrants = authServer.counts.clientCredentials - clientCredentialsBefore;
      const rejectedRequests = api.counts.rejected - rejectedBefore;
      note(
        `the API answered 401 invalid_token ${rejectedRequests}×; the server served ${refreshGrants} refresh grant(s) and ${clientCredentialsGrants} client-credentials grant(s); each request was replayed once`,
      );
      return {
        refreshGrants,
        clientCredentialsGrants,
        rejectedRequests,
        succeeded: ok && service,
      };
    });

    const dashboardUrl = options.ui === true ? await startUi() : undefined;

    const summary: DemoSummary = {
      stateDir,
      instances: [
        summarize(oauthInstance, oauthOrigin, endpoints),
        summarize(tokenInstance, storedToken === undefined ? 'token' : 'reused', endpoints),
        ...[...others.values()].map(({ instance, origin }) =>
          summarize(instance, origin, endpoints),
        ),
      ],
      calls,
      refresh: { tokensExpired, ...refreshed },
      consents: authServer.counts.authorizationCode - consentsBefore,
      oauth1Authorizations: ledger.counts.authorizations - oauth1Before,
      steps: log.steps,
      ...(dashboardUrl === undefined ? {} : { dashboardUrl }),
    };
    printSummary(log, summary, created, reauthorizations.length);
    if (dashboardUrl !== undefined) await serveUntilStopped(dashboardUrl);
    return summary;
  } finally {
    // Close in reverse start order: dashboard, runtime and store, API, provider, callback server.
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch(() => {});
    }
  }
}

async function findInstance(
  runtime: DemoRuntime,
  id: string | undefined,
): Promise<Instance | undefined> {
  if (id === undefined) return undefined;
  try {
    const instance = await runtime.getInstance(id);
    return instance ?? undefined;
  } catch (error) {
    if (SpliceError.is(error, 'INSTANCE_NOT_FOUND')) return undefined;
    throw error;
  }
}

function summarize(
  instance: Instance,
  origin: DemoInstanceOrigin,
  endpoints: ReadonlyMap<string, readonly string[]>,
): DemoInstanceSummary {
  return {
    id: instance.id,
    name: instance.name,
    authMethodId: instance.authMethodId,
    origin,
    endpoints: endpoints.get(instance.id) ?? [],
  };
}

const ORIGIN_TEXT: Record<DemoInstanceOrigin, string> = {
  consent: 'added: consent + code exchange',
  token: 'added: token checked',
  checked: 'added: user and password checked',
  'client-credentials': 'added: client credentials token',
  'oauth1-consent': 'added: OAuth 1 authorization',
  'pre-issued': 'added: pre-issued token',
  reused: 'reused from the store',
  reconsented: 'reused, consent renewed',
};

function printSummary(log: DemoLog, summary: DemoSummary, firstRun: boolean, reauth: number): void {
  log.line();
  log.line('Summary');
  log.line(
    formatTable([
      ['Instance', 'Method', 'How', 'Endpoints listed'],
      ...summary.instances.map((i) => [
        i.name,
        i.authMethodId,
        ORIGIN_TEXT[i.origin],
        i.endpoints.join(', '),
      ]),
    ]),
  );
  log.line(
    formatTable([
      ['Instance', 'Endpoint', 'Result', 'Time'],
      ...summary.calls.map((c) => [c.instance, c.endpointId, c.outcome, formatMs(c.ms)]),
    ]),
  );
  log.line(
    formatTable([
      ['Step', 'Time'],
      ...summary.steps.map((s) => [`${s.number}. ${s.title}`, formatMs(s.ms)]),
    ]),
  );
  const { refresh } = summary;
  log.line(
    `Refresh: ${refresh.tokensExpired} access token(s) expired server-side → ${refresh.rejectedRequests} request(s) refused → ${refresh.refreshGrants} refresh + ${refresh.clientCredentialsGrants} new client-credentials token → replay ${refresh.succeeded ? 'succeeded' : 'FAILED'}`,
  );
  log.line(
    `Consents this run: ${summary.consents} OAuth 2${reauth > 0 ? ` (re-authorization required ${reauth}×)` : ''}, ${summary.oauth1Authorizations} OAuth 1 (Acme Ledger keeps its tokens in memory only)`,
  );
  log.line(
    `State: ${summary.stateDir} — SQLite store splice.db; the provider's grants persist in authorization-server-data.json, so ${firstRun ? 'the next run reuses these instances without a new consent' : 'this run reused the stored grant'}.`,
  );
}

// Bodies are shown by shape, never in full: a list's size or an object's keys.
function describeData(value: unknown): string {
  const data = value as JsonValue | undefined;
  if (data === undefined || data === null) return '';
  if (Array.isArray(data)) return `(${data.length} items)`;
  if (typeof data === 'object') {
    const items = data['items'];
    if (Array.isArray(items)) return `(${items.length} items)`;
    return `{${Object.keys(data).join(', ')}}`;
  }
  return typeof data;
}
