import {
  type AuthMethodDefinition,
  type AuthStrategy,
  type CallbackRefusal,
  type Choice,
  type ConnectorDefinition,
  type Credentials,
  callbackRefusal,
  type Instance,
  type JsonObject,
  SpliceError,
  type Store,
  storeKeys,
} from '@splice/core';
import type { Runtime } from '@splice/endpoint-runtime';
import type { CallbackRequest, CallbackServer } from '../callback/startCallbackServer.js';
import { type Explained, explainFailure, explainRefusal } from '../commands/explainFailure.js';
import { missingEndpointVariables } from '../commands/missingEndpointVariables.js';
import type { Output } from '../commands/Output.js';
import { startProgress } from '../commands/progress.js';
import { missingVariables } from '../commands/variableUsage.js';
import { describeTokenExchange } from './describeTokenExchange.js';
import { openInBrowser } from './openInBrowser.js';
import { probeAuthorizationUrl } from './probeAuthorizationUrl.js';
import type { RecordingDispatcher } from './recordingDispatcher.js';

/** How one step of `splice auth test` ended. */
export interface StepResult {
  /** `skipped`: does not apply to this method (or an earlier step failed). */
  readonly status: 'ok' | 'warning' | 'failed' | 'skipped';
  /** One line: what happened. Never a secret. */
  readonly summary: string;
  /** Further lines (a token response's redacted shape, response keys). */
  readonly details?: readonly string[];
  /** Secret-free facts for `--json` (status codes, expiry in seconds, rotated or not). */
  readonly facts?: JsonObject;
  readonly failure?: Explained;
}

/** What the steps share while one `auth test` runs. Steps set `instance`, `callback`. */
export interface AuthTestContext {
  readonly connector: ConnectorDefinition;
  readonly method: AuthMethodDefinition;
  readonly strategy: AuthStrategy;
  readonly runtime: Runtime;
  readonly store: Store;
  readonly recording: RecordingDispatcher;
  readonly callbackServer?: CallbackServer;
  /** The redirect URI the provider must know. */
  readonly redirectUri?: string;
  readonly variables: Readonly<Record<string, string>>;
  /** The endpoint to call; default the first GET endpoint the method enables. */
  readonly endpointId?: string;
  readonly open: boolean;
  readonly headless: boolean;
  readonly waitSeconds: number;
  readonly signal?: AbortSignal;
  readonly output: Output;
  /** Prints a line for the user (stdout, or stderr under `--json`). */
  say(line?: string): void;
  /** Removes every secret the command knows of from `text`. */
  clean(text: string): string;
  instance?: Instance;
  callback?: CallbackRequest;
  /** The endpoint the `call` step used. */
  calledEndpoint?: string;
  /** Starts the consent; default a new instance of `method` (re-authorization passes its own). */
  readonly begin?: () => Promise<{ readonly authorizationUrl: string }>;
  /** `--choose` ids: the first one a pending choice offers is recorded. */
  readonly choose?: readonly string[];
  /** Asks the user to pick one of `choices` (a terminal prompt); absent: `--choose` or a failure. */
  readonly ask?: (choices: readonly Choice[]) => Promise<string | undefined>;
  /** A post-authorization step's error, thrown by `completeAuthorization` after the exchange worked. */
  postAuthorizationError?: unknown;
}

/**
 * One step of `splice auth test`: `run` returns how it ended; a thrown error fails the step and
 * is explained with {@link explainFailure}. After a failed step the later ones are skipped.
 */
export interface AuthTestStep {
  /**
   * Stable id, for `--json` (`consent`, `exchange`, `post-authorization`, `call`, `refresh`,
   * `after-refresh`).
   */
  readonly id: string;
  /** What the step is called in the report. */
  readonly title: string;
  run(ctx: AuthTestContext): Promise<StepResult>;
}

const failed = (
  failure: Explained,
  summary = `${failure.code}: ${failure.message}`,
): StepResult => ({
  status: 'failed',
  summary,
  failure,
});

function explain(ctx: AuthTestContext, error: unknown): Explained {
  const explained = explainFailure(error, {
    tokenEndpointAuthMethod:
      ctx.variables['token_endpoint_auth_method'] ??
      ctx.method.variables.find((v) => v.key === 'token_endpoint_auth_method')?.default ??
      ctx.strategy.variables.find((v) => v.key === 'token_endpoint_auth_method')?.default,
    timeoutSeconds: ctx.method.timeoutSeconds,
  });
  return { ...explained, message: ctx.clean(explained.message) };
}

/** The user's consent: the browser (or `--headless`) until the provider redirects back. */
const consent: AuthTestStep = {
  id: 'consent',
  title: 'consent',
  async run(ctx) {
    if (!ctx.strategy.interactive || ctx.callbackServer === undefined) {
      return { status: 'skipped', summary: `${ctx.method.type} has no consent page` };
    }
    const server = ctx.callbackServer;
    let authorizationUrl: string;
    try {
      ({ authorizationUrl } = await (ctx.begin?.() ??
        ctx.runtime.beginAuthorization({
          connectorId: ctx.connector.id,
          authMethodId: ctx.method.id,
          name: 'splice auth test',
          variables: instanceVariables(ctx),
        })));
    } catch (error) {
      return failed(explain(ctx, error));
    }
    const probe = await probeAuthorizationUrl(
      authorizationUrl,
      server.callbackUrl,
      ctx.recording.dispatcher,
    );
    if (probe.kind === 'error-page') {
      const oauth =
        probe.error === undefined
          ? ''
          : ` (${probe.error}${probe.description === undefined ? '' : `: ${probe.description}`})`;
      const failure: Explained = {
        code: probe.redirectUriMismatch ? 'REDIRECT_URI_MISMATCH' : 'AUTHORIZE_URL_REFUSED',
        message: probe.redirectUriMismatch
          ? `the provider refuses the redirect URI ${ctx.redirectUri}${oauth}: it shows an error page and will never redirect back`
          : `the authorise URL answered HTTP ${probe.status}${oauth}: ${ctx.clean(probe.text)}`,
        ...(probe.error === undefined ? {} : { oauthError: probe.error }),
        ...(probe.description === undefined ? {} : { oauthErrorDescription: probe.description }),
        hints: probe.redirectUriMismatch
          ? [
              `register ${ctx.redirectUri} as a redirect URI of the client, exactly (scheme, host, port, path)`,
              'or run with --port <n> / --var callback_url=<the registered URI> so it matches',
            ]
          : ["check urls.authorise, client_id and the method's URL parameters"],
      };
      return failed(failure, failure.message);
    }
    if (probe.kind === 'refused') return refused(ctx, probe.refusal);
    if (probe.kind === 'unreachable') {
      return failed({
        code: 'AUTHORIZE_URL_UNREACHABLE',
        message: `the authorise URL cannot be reached (${probe.errorCode})`,
        cause: probe.errorCode,
        hints: ['check urls.authorise: host, port and scheme'],
      });
    }
    const wait = AbortSignal.any([
      AbortSignal.timeout(ctx.waitSeconds * 1000),
      ...(ctx.signal === undefined ? [] : [ctx.signal]),
    ]);
    const arrived = server.nextRequest(wait);
    if (ctx.headless) {
      const reached = await followHeadless(authorizationUrl, server.callbackUrl, ctx);
      if (reached !== undefined) {
        arrived.catch(() => {});
        return failed({
          code: 'CONSENT_NEEDS_A_PERSON',
          message: reached,
          hints: ['drop --headless and approve in a browser'],
        });
      }
    } else {
      ctx.say('Open this URL in a browser, sign in and approve:');
      ctx.say(authorizationUrl);
      ctx.say();
      if (ctx.open && !(await openInBrowser(authorizationUrl))) {
        ctx.say('(could not start a browser: open the URL by hand)');
      }
    }
    const progress = startProgress(ctx.output, 'Waiting for the redirect… (Ctrl-C to stop)');
    try {
      ctx.callback = await arrived;
    } catch {
      return failed({
        code: ctx.signal?.aborted === true ? 'STOPPED' : 'NO_REDIRECT',
        message:
          ctx.signal?.aborted === true
            ? 'stopped before the redirect came back'
            : `no redirect came back within ${ctx.waitSeconds} s`,
        hints: [
          `the provider accepted the authorise URL; if its page showed an error, check that ${ctx.redirectUri} is registered`,
          'raise the wait with --wait <seconds>',
        ],
      });
    } finally {
      progress.stop();
    }
    const params = new URL(ctx.callback.url).searchParams;
    const code = params.get('code');
    const refusal = callbackRefusal(params, code === null ? [] : [code]);
    if (refusal !== undefined) {
      ctx.callback.respond(
        false,
        'Authorization refused',
        `The provider refused the authorization: ${ctx.clean(refusal.said)}. Return to the terminal for details.`,
      );
      return refused(ctx, refusal);
    }
    return { status: 'ok', summary: 'redirect received' };
  },
};

// The provider redirected back with a refusal (RFC 6749 §4.1.2.1), as core's callbackRefusal
// reads it: the consent failed, whatever the exchange would say about it.
function refused(ctx: AuthTestContext, refusal: CallbackRefusal): StepResult {
  const description = refusal.providerErrorDescription;
  const failure = explainRefusal(
    'AUTH_DENIED',
    ctx.clean(`the provider refused the authorization: ${refusal.said}`),
    {
      providerError: ctx.clean(refusal.providerError),
      ...(description === undefined ? {} : { providerErrorDescription: ctx.clean(description) }),
    },
  );
  return failed(failure);
}

// Follows the authorise URL's redirects without a browser (a local profile that consents at
// once: the testkit simulator, a provider's test tenant). Returns why it stopped, or undefined
// when it reached the callback (and delivered it).
async function followHeadless(
  start: string,
  callbackUrl: string,
  ctx: AuthTestContext,
): Promise<string | undefined> {
  let url = new URL(start);
  const cookies = new Map<string, string>();
  for (let hop = 0; hop < 10; hop++) {
    if (url.href.startsWith(callbackUrl)) {
      // The callback server answers once the exchange is done: do not wait for that page here.
      fetch(url)
        .then((response) => response.text())
        .catch(() => {});
      return undefined;
    }
    const response = await ctx.recording.dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers:
        cookies.size === 0 ? {} : { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    await response.body.dump();
    const setCookie = response.headers['set-cookie'];
    for (const line of Array.isArray(setCookie)
      ? setCookie
      : setCookie === undefined
        ? []
        : [setCookie]) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (eq > 0) cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1));
    }
    const location = response.headers['location'];
    if (response.statusCode < 300 || response.statusCode > 399 || location === undefined) {
      return `--headless reached a page (HTTP ${response.statusCode} at ${url.origin}${url.pathname}) that needs a person: a login or consent form`;
    }
    url = new URL(String(Array.isArray(location) ? location[0] : location), url);
  }
  return '--headless followed 10 redirects without reaching the callback';
}

/** The code exchange (interactive) or the credential check (`addInstance`). */
const exchange: AuthTestStep = {
  id: 'exchange',
  title: 'exchange',
  async run(ctx) {
    const progress = startProgress(
      ctx.output,
      ctx.strategy.interactive ? 'Exchanging the code…' : 'Checking the credentials…',
    );
    let error: unknown;
    try {
      ctx.instance = ctx.strategy.interactive
        ? await ctx.runtime.completeAuthorization(ctx.callback!.url)
        : await ctx.runtime.addInstance({
            connectorId: ctx.connector.id,
            authMethodId: ctx.method.id,
            name: 'splice auth test',
            variables: instanceVariables(ctx),
          });
    } catch (caught) {
      error = caught;
    } finally {
      progress.stop();
    }
    if (error !== undefined && (await savedBeforeStepFailed(ctx, error))) {
      ctx.postAuthorizationError = error;
      error = undefined;
    }
    const described = describeTokenExchange(ctx);
    const details = described?.lines ?? [];
    if (error !== undefined) {
      const failure = explain(ctx, error);
      ctx.callback?.respond(
        false,
        'Authorization failed',
        `${failure.code}. Return to the terminal for details.`,
      );
      return { ...failed(failure), details };
    }
    ctx.callback?.respond(
      true,
      'Authorization worked',
      'You can close this tab and return to the terminal.',
    );
    const credentials = await readCredentials(ctx);
    const captured = capturedValues(
      ctx,
      (ctx.method.captured ?? []).map((c) => c.key),
    );
    const facts: JsonObject = {
      ...credentialFacts(credentials, ctx),
      ...(captured === undefined ? {} : { captured }),
    };
    const what = ctx.strategy.interactive ? 'code exchanged' : 'credentials accepted';
    return {
      status: described?.allKeysFound === false ? 'warning' : 'ok',
      summary: `${what}: instance ${ctx.instance!.id}${describeFacts(facts)}`,
      details: [...details, ...describeCaptured('captured at consent', captured)],
      facts,
    };
  },
};

// A post-authorization step failed inside completeAuthorization: the credentials and the
// instance were saved first (it waits in `pending_choice` without a choice). Then the exchange
// worked and the step is reported by the post-authorization step.
async function savedBeforeStepFailed(ctx: AuthTestContext, error: unknown): Promise<boolean> {
  if ((ctx.method.postAuthorization ?? []).length === 0 || !(error instanceof SpliceError)) {
    return false;
  }
  const instanceId = (error.details as { instanceId?: unknown } | undefined)?.instanceId;
  if (typeof instanceId !== 'string') return false;
  const instance = await ctx.runtime.getInstance(instanceId).catch(() => undefined);
  if (instance?.status !== 'pending_choice') return false;
  ctx.instance = instance;
  return true;
}

/**
 * The instance's captured values of `keys` as `Instance.captured` shows them (secret ones
 * `[redacted]`), scrubbed of every secret the command knows; undefined when none of the keys
 * was captured.
 */
function capturedValues(
  ctx: AuthTestContext,
  keys: readonly string[],
): Record<string, string> | undefined {
  const shown = ctx.instance?.captured ?? {};
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = shown[key];
    if (value !== undefined) out[key] = ctx.clean(value);
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function describeCaptured(
  title: string,
  captured: Readonly<Record<string, string>> | undefined,
): string[] {
  if (captured === undefined) return [];
  return [
    `${title}:`,
    ...Object.entries(captured).map(([key, value]) => `  ${key} = ${JSON.stringify(value)}`),
  ];
}

async function readCredentials(ctx: AuthTestContext): Promise<Credentials | undefined> {
  if (ctx.instance === undefined) return undefined;
  const entry = await ctx.store.get(storeKeys.credentials(ctx.instance.id));
  return entry?.value as unknown as Credentials | undefined;
}

function credentialFacts(credentials: Credentials | undefined, ctx: AuthTestContext): JsonObject {
  if (credentials === undefined) return {};
  const now = Date.now();
  const facts: JsonObject = {
    refreshToken: credentials.values['refresh_token'] !== undefined,
  };
  if (credentials.expiresAt !== undefined) {
    facts['expiresInSeconds'] = Math.round((credentials.expiresAt - now) / 1000);
  }
  const scope = credentials.meta?.['scope'];
  if (typeof scope === 'string') facts['scope'] = ctx.clean(scope);
  return facts;
}

function describeFacts(facts: JsonObject): string {
  const parts: string[] = [];
  if (typeof facts['expiresInSeconds'] === 'number')
    parts.push(`expires in ${facts['expiresInSeconds']} s`);
  if (facts['refreshToken'] === true) parts.push('refresh token');
  if (typeof facts['scope'] === 'string') parts.push(`scope "${facts['scope']}"`);
  return parts.length === 0 ? '' : `, ${parts.join(', ')}`;
}

/**
 * The method's post-authorization steps (Xero `connections`, Atlassian `accessible-resources`).
 * They run inside `completeAuthorization`, so their requests are timed with the exchange; this
 * step reports what they captured and, when the instance waits in `pending_choice`, shows the
 * choices and records one (`--choose <id>`, or a prompt on a terminal) with
 * `runtime.chooseValue`, timed.
 */
const postAuthorization: AuthTestStep = {
  id: 'post-authorization',
  title: 'post-authorization',
  async run(ctx) {
    const steps = ctx.method.postAuthorization ?? [];
    if (steps.length === 0) {
      return {
        status: 'skipped',
        summary: `${ctx.method.id} declares no post-authorization steps`,
      };
    }
    if (ctx.instance === undefined) return { status: 'skipped', summary: 'no instance' };
    const keys = steps.flatMap((step) => step.captured.map((c) => c.key));
    const details: string[] = [];
    const chosen: JsonObject[] = [];
    let chooseMs = 0;
    const report = (): JsonObject => {
      const captured = capturedValues(ctx, keys);
      return {
        steps: steps.map((step) => step.id),
        ...(captured === undefined ? {} : { captured }),
        ...(chosen.length === 0 ? {} : { chosen, chooseMs }),
      };
    };
    if (ctx.postAuthorizationError !== undefined) {
      const failure = explain(ctx, ctx.postAuthorizationError);
      return { ...failed(failure), facts: report() };
    }
    while (ctx.instance.status === 'pending_choice') {
      const pending = ctx.instance.pendingChoice;
      if (pending === undefined) {
        return failed({
          code: 'POST_AUTHORIZATION_INCOMPLETE',
          message: `instance ${ctx.instance.id} waits in pending_choice with nothing to choose: a post-authorization step did not finish`,
          // `begin` is set by `splice instances reauthorize`, which saved the instance.
          hints: [
            `run ${ctx.begin === undefined ? 'splice auth test' : `splice instances reauthorize ${ctx.instance.id}`} again; check the steps' URLs and captured fields`,
          ],
        });
      }
      // Labels as every output shows them: scrubbed of every secret the test knows.
      const choices = pending.choices.map((c) => ({ id: c.id, label: ctx.clean(c.label) }));
      details.push(`step ${pending.stepId} offers ${choices.length} choices:`);
      for (const choice of choices) details.push(`  ${choice.id}  ${choice.label}`);
      const offered = new Set(choices.map((c) => c.id));
      let choiceId = ctx.choose?.find((id) => offered.has(id));
      if (choiceId === undefined && ctx.choose === undefined && ctx.ask !== undefined) {
        for (const line of details.splice(0)) ctx.say(`    ${line}`);
        choiceId = await ctx.ask(choices);
      }
      if (choiceId === undefined) {
        const listed = choices.map((c) => `${c.id} (${c.label})`).join(', ');
        return {
          ...failed({
            code: 'CHOICE_REQUIRED',
            message:
              ctx.choose === undefined
                ? `step ${pending.stepId} offers ${choices.length} choices and none was given: ${listed}`
                : `step ${pending.stepId} offers none of --choose ${ctx.choose.join(', ')}; it offers ${listed}`,
            hints: [`pass --choose <id> with one of: ${[...offered].join(', ')}`],
          }),
          details,
          facts: {
            ...report(),
            stepId: pending.stepId,
            choices,
          },
        };
      }
      const started = performance.now();
      try {
        ctx.instance = await ctx.runtime.chooseValue(ctx.instance, pending.stepId, choiceId);
      } catch (error) {
        return { ...failed(explain(ctx, error)), details, facts: report() };
      } finally {
        chooseMs += Math.round(performance.now() - started);
      }
      chosen.push({
        stepId: pending.stepId,
        id: choiceId,
        choices: pending.choices.map((c) => ({ id: c.id, label: ctx.clean(c.label) })),
      });
      details.push(`chose ${choiceId} for step ${pending.stepId}`);
    }
    const facts = report();
    const captured = facts['captured'] as Record<string, string> | undefined;
    details.push(...describeCaptured('captured', captured));
    const names = Object.keys(captured ?? {});
    return {
      status: 'ok',
      summary: `${steps.length} step${steps.length === 1 ? '' : 's'} done${names.length === 0 ? '' : `: captured ${names.join(', ')}`}${chosen.length === 0 ? '' : `; choice recorded in ${chooseMs} ms`}`,
      details,
      facts,
    };
  },
};

// The endpoints the method enables.
function enabledEndpoints(ctx: AuthTestContext): ConnectorDefinition['endpoints'] {
  return ctx.connector.endpoints.filter((e) => e.authMethods.includes(ctx.method.id));
}

function pickEndpoint(ctx: AuthTestContext): string | undefined {
  if (ctx.endpointId !== undefined) return ctx.endpointId;
  const enabled = enabledEndpoints(ctx);
  const usable = (e: (typeof enabled)[number]): boolean =>
    missingEndpointVariables(e, ctx.variables).length === 0;
  return (enabled.find((e) => e.method === 'GET' && usable(e)) ?? enabled.find(usable))?.id;
}

// Why no endpoint was picked: none is enabled, or each enabled one needs a value not given.
function noEndpointReason(ctx: AuthTestContext): string {
  const enabled = enabledEndpoints(ctx);
  if (enabled.length === 0) return `no endpoint is enabled for ${ctx.method.id}`;
  const needs = enabled.map(
    (e) => `${e.id} needs ${missingEndpointVariables(e, ctx.variables).join(', ')}`,
  );
  return `no endpoint enabled for ${ctx.method.id} can be called without more values (${needs.join('; ')}): pass --endpoint <id> and --var key=… for it`;
}

async function callOnce(ctx: AuthTestContext, label: string): Promise<StepResult> {
  const endpointId = ctx.calledEndpoint;
  if (endpointId === undefined) {
    return { status: 'skipped', summary: 'no endpoint to call (pass one with --endpoint <id>)' };
  }
  const progress = startProgress(ctx.output, `${label} ${endpointId}…`);
  try {
    // A call may set only the endpoint's own variables; the rest are the instance's.
    const endpoint = ctx.connector.endpoints.find((e) => e.id === endpointId);
    const own = new Set(endpoint?.variables.map((v) => v.key));
    const variables = Object.fromEntries(
      Object.entries(ctx.variables).filter(([key]) => own.has(key)),
    );
    const result = await ctx.runtime.callEndpoint(
      ctx.instance!,
      endpointId,
      Object.keys(variables).length === 0 ? {} : { variables },
    );
    return {
      status: 'ok',
      summary: `${endpoint?.method ?? ''} ${endpointId} → ${result.status} (${Buffer.byteLength(result.body)} bytes)`,
      facts: { endpoint: endpointId, status: result.status },
    };
  } catch (error) {
    const failure = explain(ctx, error);
    const details =
      SpliceError.is(error, 'ENDPOINT_HTTP_ERROR') && error.details.body !== ''
        ? [`body: ${ctx.clean(error.details.body).slice(0, 300)}`]
        : [];
    return { ...failed(failure), details };
  } finally {
    progress.stop();
  }
}

/** One endpoint call with the new credentials. */
const call: AuthTestStep = {
  id: 'call',
  title: 'call',
  async run(ctx) {
    const endpointId = pickEndpoint(ctx);
    if (endpointId === undefined) {
      return { status: 'skipped', summary: noEndpointReason(ctx) };
    }
    // An --endpoint whose required variable has no value: the command line lacked it (exit 2).
    const endpoint = ctx.connector.endpoints.find((e) => e.id === endpointId);
    const missing = endpoint === undefined ? [] : missingEndpointVariables(endpoint, ctx.variables);
    if (missing.length > 0) {
      const message = missingVariables(missing, `endpoint "${endpointId}"`, 'all');
      return failed({ code: 'VARIABLE_MISSING', message, hints: [] }, message);
    }
    ctx.calledEndpoint = endpointId;
    return callOnce(ctx, 'Calling');
  },
};

/**
 * A forced refresh: the stored credentials are marked expired (their `expiresAt` set to the
 * past, the strategy's cache dropped), so the next call refreshes first, exactly as the runtime
 * does ahead of a real expiry.
 */
const refresh: AuthTestStep = {
  id: 'refresh',
  title: 'refresh',
  async run(ctx) {
    if (ctx.strategy.refresh === undefined) {
      return { status: 'skipped', summary: `${ctx.method.type} credentials are not refreshed` };
    }
    if (ctx.calledEndpoint === undefined) {
      return {
        status: 'skipped',
        summary: 'a refresh is triggered by a call: no endpoint to call',
      };
    }
    const before = await readCredentials(ctx);
    if (before === undefined) return { status: 'skipped', summary: 'no stored credentials' };
    // Only the authorization-code grant renews with a refresh token (client credentials, for
    // one, asks for a new token with the same credentials).
    if (
      ctx.method.type === 'oauth2-authorization-code' &&
      before.values['refresh_token'] === undefined
    ) {
      return {
        status: 'warning',
        summary:
          'the provider issued no refresh token: the instance will need a new consent when the access token expires',
        failure: {
          code: 'NO_REFRESH_TOKEN',
          message: 'no refresh token in the token response',
          hints: [
            'many providers only issue one for a scope such as offline_access, or a URL parameter such as access_type=offline',
          ],
        },
      };
    }
    const key = storeKeys.credentials(ctx.instance!.id);
    await ctx.store.set(key, {
      ...(before as unknown as JsonObject),
      expiresAt: Date.now() - 1000,
    });
    ctx.strategy.forget?.(ctx.instance!.id);
    const result = await callOnce(ctx, 'Refreshing, then calling');
    const after = await readCredentials(ctx);
    const refreshed = after !== undefined && after.obtainedAt > before.obtainedAt;
    if (result.status === 'failed') return result;
    if (!refreshed) {
      return {
        status: 'failed',
        summary: 'the call went through but the credentials were not refreshed',
        failure: {
          code: 'NOT_REFRESHED',
          message: 'the stored credentials did not change',
          hints: [],
        },
      };
    }
    const held = before.values['refresh_token'] !== undefined;
    const rotated = held && after.values['refresh_token'] !== before.values['refresh_token'];
    const facts = { ...credentialFacts(after, ctx), rotated };
    return {
      status: 'ok',
      summary: `new access token${describeFacts(facts)}${held ? `; refresh token ${rotated ? 'rotated' : 'kept'}` : ''}`,
      facts,
    };
  },
};

/** The refresh's result: a call with the refreshed credentials. */
const afterRefresh: AuthTestStep = {
  id: 'after-refresh',
  title: 'after refresh',
  async run(ctx) {
    if (ctx.strategy.refresh === undefined || ctx.calledEndpoint === undefined) {
      return { status: 'skipped', summary: 'no refresh' };
    }
    const result = await callOnce(ctx, 'Calling with the new token');
    return result.status === 'ok'
      ? { ...result, summary: `${result.summary} with the new token` }
      : result;
  },
};

/**
 * The steps of `splice auth test`, in order: consent, exchange, post-authorization, call, refresh,
 * after refresh. Given the tested `method`, post-authorization is left out when the method
 * declares no `postAuthorization` steps. An engine inserts its own and
 * passes the list to `authTestCommand`.
 *
 * @example
 * ```ts
 * const steps = defaultAuthTestSteps();
 * steps.splice(3, 0, { id: 'tenant', title: 'tenant', run: async (ctx) => ({ status: 'ok', summary: '…' }) });
 * await authTestCommand({ ...options, steps }, output);
 * ```
 */
export function defaultAuthTestSteps(method?: AuthMethodDefinition): AuthTestStep[] {
  const post =
    method === undefined || (method.postAuthorization ?? []).length > 0 ? [postAuthorization] : [];
  return [consent, exchange, ...post, call, refresh, afterRefresh];
}

/**
 * The consent and exchange steps, and the post-authorization step when `method` declares
 * `postAuthorization`: what `splice instances reauthorize` runs.
 *
 * @example
 * ```ts
 * for (const step of consentSteps(method)) await step.run(ctx);
 * ```
 */
export function consentSteps(method?: AuthMethodDefinition): AuthTestStep[] {
  const post = (method?.postAuthorization ?? []).length > 0 ? [postAuthorization] : [];
  return [consent, exchange, ...post];
}

/**
 * The values the tested instance takes: those of the connector's and the method's (and its
 * strategy's) variables. An endpoint's own (`--var page=2`) are for the call step alone; the
 * runtime refuses them on an instance (VARIABLE_INVALID).
 */
function instanceVariables(ctx: AuthTestContext): Record<string, string> {
  const keys = new Set(
    [...ctx.connector.variables, ...ctx.strategy.variables, ...ctx.method.variables].map(
      (v) => v.key,
    ),
  );
  return Object.fromEntries(Object.entries(ctx.variables).filter(([key]) => keys.has(key)));
}
