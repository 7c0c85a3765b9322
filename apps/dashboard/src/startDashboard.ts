import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  type Instance,
  invalidArgument,
  type JsonValue,
  jsonParseProblem,
  type ResolvedAuthMethod,
  type ResolvedConnector,
  SpliceError,
} from '@splice/core';
import type {
  DashboardCallResult,
  DashboardRequestPreview,
  DashboardRuntime,
} from './DashboardRuntime.js';
import { formFields } from './form/formFields.js';
import { describeError, type ErrorView, headerLines } from './http/describeError.js';
import type { SafeHtml } from './http/html.js';
import { readForm } from './http/readForm.js';
import { redactResponse } from './http/redactResponse.js';
import { errorPage } from './pages/errorPage.js';
import { homePage } from './pages/homePage.js';
import { type CallOutcome, instancePage } from './pages/instancePage.js';

/**
 * Options of {@link startDashboard}.
 *
 * @example
 * ```ts
 * const options: DashboardOptions = { runtime, connectors, port: 4100 };
 * ```
 */
export interface DashboardOptions {
  /** The Splice runtime (SPEC §5) whose instances the dashboard adds and calls. */
  readonly runtime: DashboardRuntime;
  /**
   * The connectors to offer (by id). Default: every one of `runtime.listConnectors()`. Each is
   * shown as the runtime holds it (its methods with the strategies' locked default variables
   * merged in), so the form is complete even for a connector parsed without the strategies.
   */
  readonly connectors?: readonly Pick<ResolvedConnector, 'id'>[];
  /** Interface to listen on; default `127.0.0.1`. Keep it on loopback: the page holds no login. */
  readonly host?: string;
  /** Port; default `0` (any free port). */
  readonly port?: number;
  /** Path of the OAuth redirect route; default `/oauth/callback`. */
  readonly callbackPath?: string;
}

/**
 * A running dashboard.
 *
 * @example
 * ```ts
 * const { url, callbackUrl, close }: Dashboard = await startDashboard({ runtime });
 * ```
 */
export interface Dashboard {
  /** Where to open it, e.g. `http://127.0.0.1:53117`. */
  readonly url: string;
  /** The redirect URI to register with providers: `url` + `callbackPath`. */
  readonly callbackUrl: string;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

const PUBLIC_DIR = new URL('../public/', import.meta.url);
const ASSETS: Readonly<Record<string, string>> = {
  'dashboard.css': 'text/css; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};
const MAX_SHOWN_BODY = 100_000;
// Authorizations under way whose form is kept for a failed callback; a runtime's pending
// authorization lives 10 minutes.
const MAX_KEPT_FORMS = 100;
const KEPT_FORM_MS = 10 * 60 * 1000;

/** The non-secret values of a form sent to the provider, or the instance being renewed. */
type EnteredForm =
  | {
      readonly connectorId: string;
      readonly methodId: string;
      readonly name: string;
      readonly values: Record<string, string>;
      /** Whether secret fields were filled (they must be entered again). */
      readonly hadSecrets: boolean;
      readonly expiresAt: number;
    }
  | { readonly instanceId: string; readonly expiresAt: number };

// No inline script or style anywhere, so the policy can forbid them. There is deliberately no
// `form-action`: Chromium applies it to the redirect that follows the Authorise post, which goes to
// the provider's origin.
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // The callback URL carries the authorization code: never let it leak to another origin through a
  // Referer. (`no-referrer` would also make Chromium send `Origin: null` on our own form posts.)
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

// The built-in types that send the user to a consent page (OAuth 2 authorization code, OAuth 1
// three-legged); `token`, `basic`, `oauth2-client-credentials` and `oauth1-pre-issued` are added at
// once. For any other type the dashboard tries `addInstance` and falls back to the redirect flow
// when the runtime answers AUTH_NOT_INTERACTIVE.
const INTERACTIVE_TYPES: ReadonlySet<string> = new Set(['oauth2-authorization-code', 'oauth1']);
const CALLBACK_URL_KEY = 'callback_url';
const INSTANCE_CHANGES = ['rename', 'delete', 'disconnect', 'choose', 'rerun'] as const;
type InstanceChange = (typeof INSTANCE_CHANGES)[number];
// The message an instance page shows after each action, by the query flag its redirect sets.
const FLASHES: Readonly<Record<string, string>> = {
  added: 'Instance added. These are the endpoints its authentication method enables.',
  renewed: 'Consent renewed: the instance is active again.',
  renamed: 'Instance renamed.',
  disconnected: 'Disconnected: its tokens are forgotten. Authorise again to use it.',
  choose: 'One more step: choose below what this instance works with.',
  chosen: 'Choice saved: the instance is active and its endpoints are ready.',
  rerun: 'The post-authorization steps ran again; the captured values are up to date.',
};

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function formatBody(result: DashboardCallResult): string {
  let parsed: unknown;
  let text = '';
  if (result.data !== undefined && result.data !== null && typeof result.data !== 'string') {
    parsed = result.data;
  } else {
    text =
      typeof result.body === 'string'
        ? result.body
        : result.body instanceof Uint8Array
          ? Buffer.from(result.body).toString('utf8')
          : typeof result.data === 'string'
            ? result.data
            : '';
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: shown as it came.
    }
  }
  text = parsed === undefined ? text : JSON.stringify(redactResponse(parsed), null, 2);
  return text.length > MAX_SHOWN_BODY
    ? `${text.slice(0, MAX_SHOWN_BODY)}\n… (${text.length - MAX_SHOWN_BODY} more characters)`
    : text;
}

/**
 * Sets the redirect URI of an OAuth 2 or OAuth 1 redirect flow to the dashboard's callback route
 * (SPEC §4: the `callback_url` variable), unless the user or the definition gave one. A flow started here must
 * come back here: the runtime's own `callbackUrl` may point elsewhere, and a connector parsed
 * without the strategies does not even show the variable in the form.
 */
function withRedirect(
  method: ResolvedAuthMethod,
  variables: Readonly<Record<string, string>>,
  callbackUrl: string,
): Record<string, string> {
  const declared = method.variables.find((variable) => variable.key === CALLBACK_URL_KEY);
  if (
    !INTERACTIVE_TYPES.has(method.type) ||
    variables[CALLBACK_URL_KEY] !== undefined ||
    declared?.default !== undefined
  ) {
    return { ...variables };
  }
  return { ...variables, [CALLBACK_URL_KEY]: callbackUrl };
}

/**
 * The redirect URI a flow of `method` started here uses: the definition's `callback_url` default
 * when it has one, else the dashboard's callback route. What the user registers with the provider.
 */
function redirectUriOf(method: ResolvedAuthMethod, callbackUrl: string): string {
  const declared = method.variables.find((variable) => variable.key === CALLBACK_URL_KEY);
  return declared?.default ?? callbackUrl;
}

// The browser is sent wherever the runtime says; make sure that is a web page, not `javascript:`.
function checkedAuthorizationUrl(authorizationUrl: string): string {
  const target = new URL(authorizationUrl);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw invalidArgument(`The authorise URL must be http(s), got "${target.protocol}"`);
  }
  return target.href;
}

function headerText(value: string | readonly string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : (value as string | undefined);
}

/**
 * Starts the connector dashboard: a small web app on `127.0.0.1` (plain HTML, CSS and a little
 * script, `node:http` only) that adds instances and calls their endpoints through a Splice
 * runtime. Pick a connector and an authentication method, fill the form generated from its
 * variables, press Authorise, consent at the provider, come back to the callback route, and see
 * the instance with exactly the endpoints its method enables; call one and see the response.
 * Non-interactive methods (an API token) are checked and added at once.
 *
 * Register {@link Dashboard.callbackUrl} as a redirect URI with the provider; the form pre-fills
 * the `callback_url` variable with it.
 *
 * @example
 * ```ts
 * const connectors = [await loadConnector('acme.yaml', { strategies })];
 * const runtime = createRuntime({ connectors, strategies });
 * const dashboard = await startDashboard({ runtime, connectors, port: 4000 });
 * console.log(`open ${dashboard.url}`);
 * ```
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const { runtime } = options;
  const host = options.host ?? '127.0.0.1';
  const callbackPath = options.callbackPath ?? '/oauth/callback';
  if (typeof runtime?.beginAuthorization !== 'function') {
    throw invalidArgument(
      '"runtime" must be a Splice runtime from createRuntime()',
      'INVALID_OPTION',
    );
  }
  const loaded = runtime.listConnectors();
  const given = options.connectors ?? loaded;
  if (!Array.isArray(given as unknown)) {
    throw invalidArgument(
      '"connectors" must be an array of connector definitions',
      'INVALID_OPTION',
    );
  }
  if (
    !callbackPath.startsWith('/') ||
    callbackPath.startsWith('/instances') ||
    callbackPath.startsWith('/assets')
  ) {
    throw invalidArgument(
      `"callbackPath" must be an absolute path outside /instances and /assets, got "${callbackPath}"`,
      'INVALID_OPTION',
    );
  }
  // The runtime's definitions carry the strategies' defaults: show those, not what was passed in.
  const connectors = given.map((c) => {
    const held = loaded.find((e) => e.id === c.id);
    if (held === undefined) {
      throw invalidArgument(
        `"connectors" names "${c.id}", which the runtime does not hold`,
        'INVALID_OPTION',
      );
    }
    return held;
  });
  const assets = new Map<string, Buffer>();
  for (const name of Object.keys(ASSETS))
    assets.set(name, await readFile(new URL(name, PUBLIC_DIR)));

  // A form token in every page: another site cannot read it, so it cannot post to the dashboard.
  const csrf = randomBytes(24).toString('base64url');
  // Instances this dashboard added, newest first; used when the runtime cannot list its own.
  const known: string[] = [];
  // Instances whose consent is being renewed, so the callback can say "renewed", not "added".
  const renewing = new Set<string>();
  // What was entered for each authorization under way, by its state, so a failed one comes back
  // to the form as it was filled in. Secret values are never kept: the user types them again.
  const entered = new Map<string, EnteredForm>();
  const keepEntered = (state: string | undefined, form: EnteredForm): void => {
    if (state === undefined) return;
    for (const [key, value] of entered) {
      if (value.expiresAt <= Date.now() || entered.size >= MAX_KEPT_FORMS) entered.delete(key);
    }
    entered.set(state, form);
  };
  let origin = '';
  let allowedHosts = new Set<string>();

  const remember = (instance: Instance): void => {
    const index = known.indexOf(instance.id);
    if (index !== -1) known.splice(index, 1);
    known.unshift(instance.id);
  };

  // `undefined` when the instance does not exist, whichever way the runtime says so.
  const findInstance = async (id: string): Promise<Instance | undefined> => {
    try {
      return await runtime.getInstance(id);
    } catch (error) {
      if (SpliceError.is(error, 'INSTANCE_NOT_FOUND')) return undefined;
      throw error;
    }
  };

  const listInstances = async (): Promise<Instance[]> => {
    // The runtime lists oldest first; the sidebar shows the newest on top.
    if (typeof runtime.listInstances === 'function') {
      return [...(await runtime.listInstances())].reverse();
    }
    const found: Instance[] = [];
    for (const id of [...known]) {
      const instance = await findInstance(id);
      if (instance === undefined) known.splice(known.indexOf(id), 1);
      else found.push(instance);
    }
    return found;
  };

  const notFound = (instanceId: string): ErrorView => ({
    code: 'INSTANCE_NOT_FOUND',
    summary: 'This instance does not exist (any more): it may have been deleted.',
    hint: 'Pick one from the list.',
    message: `No instance "${instanceId}" exists.`,
    httpStatus: 404,
  });

  const send = (res: ServerResponse, status: number, page: SafeHtml): void => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' });
    res.end(page.value);
  };

  const redirect = (res: ServerResponse, location: string): void => {
    res.writeHead(303, { ...SECURITY_HEADERS, location });
    res.end();
  };

  const sendError = async (res: ServerResponse, title: string, error: ErrorView): Promise<void> => {
    const instances = await listInstances().catch(() => []);
    send(res, error.httpStatus, errorPage({ title, error, instances, connectors }));
  };

  const findMethod = (
    connectorId: string | null,
    methodId: string | null,
  ): { connector?: ResolvedConnector; method?: ResolvedAuthMethod } => {
    // With one connector there is nothing to pick: it is preselected.
    const connector =
      connectorId === null && connectors.length === 1
        ? connectors[0]
        : connectors.find((c) => c.id === connectorId);
    const method = connector?.authMethods.find((m) => m.id === methodId);
    return {
      ...(connector === undefined ? {} : { connector }),
      ...(method === undefined ? {} : { method }),
    };
  };

  const showHome = async (
    res: ServerResponse,
    status: number,
    query: { connectorId: string | null; methodId: string | null },
    form: {
      name: string;
      values: Record<string, string>;
      error?: ErrorView;
      notice?: string;
      flash?: string;
    } = {
      name: '',
      values: {},
    },
  ): Promise<void> => {
    const { connector, method } = findMethod(query.connectorId, query.methodId);
    const fields =
      connector !== undefined && method !== undefined
        ? formFields(
            connector,
            method,
            callbackUrl,
            runtime.requiredVariables(connector.id, method.id, form.values),
          )
        : [];
    send(
      res,
      status,
      homePage({
        connectors,
        ...(connector === undefined ? {} : { connector }),
        ...(method === undefined ? {} : { method }),
        interactive: method !== undefined && INTERACTIVE_TYPES.has(method.type),
        fields,
        values: form.values,
        name: form.name,
        ...(form.error === undefined ? {} : { error: form.error }),
        ...(form.notice === undefined ? {} : { notice: form.notice }),
        ...(form.flash === undefined ? {} : { flash: form.flash }),
        ...(method === undefined ? {} : { redirectUri: redirectUriOf(method, callbackUrl) }),
        csrf,
        instances: await listInstances(),
      }),
    );
  };

  const addInstance = async (res: ServerResponse, form: URLSearchParams): Promise<void> => {
    const query = { connectorId: form.get('connectorId'), methodId: form.get('authMethodId') };
    const { connector, method } = findMethod(query.connectorId, query.methodId);
    if (connector === undefined || method === undefined) {
      await sendError(
        res,
        'Unknown connector',
        describeError(
          invalidArgument(
            `No connector "${query.connectorId}" with method "${query.methodId}": pick one from the list.`,
          ),
        ),
      );
      return;
    }
    const name = (form.get('name') ?? '').trim();
    const variables: Record<string, string> = {};
    const shown: Record<string, string> = {};
    const required = runtime.requiredVariables(connector.id, method.id);
    for (const field of formFields(connector, method, callbackUrl, required)) {
      if (!field.submitted) continue;
      const value = form.get(`v.${field.key}`);
      if (value === null || value === '') continue;
      variables[field.key] = value;
      if (!field.secret) shown[field.key] = value;
    }
    const input = { connectorId: connector.id, authMethodId: method.id, name, variables };
    try {
      if (name === '') throw invalidArgument('"Instance name" is empty: give the instance a name.');
      let interactive = INTERACTIVE_TYPES.has(method.type);
      if (!interactive) {
        try {
          const instance = await runtime.addInstance(input);
          remember(instance);
          redirect(res, `/instances/${encodeURIComponent(instance.id)}?added=1`);
          return;
        } catch (error) {
          if (!SpliceError.is(error, 'AUTH_NOT_INTERACTIVE')) throw error;
          interactive = true;
        }
      }
      const { authorizationUrl, state } = await runtime.beginAuthorization({
        ...input,
        variables: withRedirect(method, variables, callbackUrl),
      });
      keepEntered(state, {
        connectorId: connector.id,
        methodId: method.id,
        name,
        values: shown,
        hadSecrets: Object.keys(variables).some((key) => !(key in shown)),
        expiresAt: Date.now() + KEPT_FORM_MS,
      });
      redirect(res, checkedAuthorizationUrl(authorizationUrl));
    } catch (error) {
      const view = describeError(error);
      await showHome(res, view.httpStatus, query, { name, values: shown, error: view });
    }
  };

  const completeAuthorization = async (res: ServerResponse, url: URL): Promise<void> => {
    try {
      const instance = await runtime.completeAuthorization(url.href);
      remember(instance);
      const renewed = renewing.delete(instance.id);
      // Consent done but a post-authorization step offers several choices: straight to the picker.
      const outcome =
        instance.status === 'pending_choice' ? 'choose' : renewed ? 'renewed' : 'added';
      redirect(
        res,
        `/instances/${encodeURIComponent(instance.id)}?${outcome}=1${outcome === 'choose' ? '#choice' : ''}`,
      );
    } catch (error) {
      const state = url.searchParams.get('state');
      const form = state === null ? undefined : entered.get(state);
      if (state !== null) entered.delete(state);
      const view = describeError(error);
      // Consent went through and the instance was saved, but a post-authorization step failed
      // (the provider listed no organisation, or the step's request failed): the instance waits
      // in pending_choice; its page says so and offers to run the steps again.
      const savedId = error instanceof SpliceError ? error.details['instanceId'] : undefined;
      const saved = typeof savedId === 'string' ? await findInstance(savedId) : undefined;
      if (saved?.status === 'pending_choice') {
        remember(saved);
        if (form !== undefined && 'instanceId' in form) renewing.delete(form.instanceId);
        await showInstance(res, saved.id, { error: view });
      } else if (form !== undefined && 'instanceId' in form) {
        renewing.delete(form.instanceId);
        await showInstance(res, form.instanceId, { error: view });
      } else if (form !== undefined) {
        await showHome(
          res,
          view.httpStatus,
          { connectorId: form.connectorId, methodId: form.methodId },
          {
            name: form.name,
            values: form.values,
            error: view,
            notice: form.hadSecrets
              ? 'Your entries are kept, except secret fields: they are never stored, so enter them again.'
              : 'Your entries are kept.',
          },
        );
      } else {
        await sendError(res, 'Authorization failed', view);
      }
    }
  };

  const reauthorize = async (res: ServerResponse, instanceId: string): Promise<void> => {
    try {
      const instance = await findInstance(instanceId);
      if (instance === undefined) {
        await sendError(res, 'Instance not found', notFound(instanceId));
        return;
      }
      const { method } = findMethod(instance.connectorId, instance.authMethodId);
      // Only the redirect URI changes: the provider must send the user back to this dashboard.
      const variables = method === undefined ? {} : withRedirect(method, {}, callbackUrl);
      const { authorizationUrl, state } = await runtime.beginAuthorization({
        instanceId,
        variables,
      });
      keepEntered(state, { instanceId, expiresAt: Date.now() + KEPT_FORM_MS });
      renewing.add(instanceId);
      redirect(res, checkedAuthorizationUrl(authorizationUrl));
    } catch (error) {
      await showInstance(res, instanceId, { error: describeError(error) });
    }
  };

  const showInstance = async (
    res: ServerResponse,
    instanceId: string,
    extra: {
      flash?: string;
      error?: ErrorView;
      outcome?: CallOutcome;
      values?: Record<string, string>;
      bodyText?: string;
      body?: JsonValue;
    } = {},
  ): Promise<void> => {
    const instance = await findInstance(instanceId);
    if (instance === undefined) {
      await sendError(res, 'Instance not found', notFound(instanceId));
      return;
    }
    const connector = connectors.find((c) => c.id === instance.connectorId);
    const method = connector?.authMethods.find((m) => m.id === instance.authMethodId);
    let endpoints: Awaited<ReturnType<DashboardRuntime['listEndpoints']>> = [];
    let error: ErrorView | undefined = extra.error;
    try {
      endpoints = await runtime.listEndpoints(instance.id);
    } catch (cause) {
      error = describeError(cause);
    }
    const interactive = method !== undefined && INTERACTIVE_TYPES.has(method.type);
    const hasSteps = (method?.postAuthorization?.length ?? 0) > 0;
    const credentialStatus =
      typeof runtime.credentialStatus === 'function'
        ? await runtime.credentialStatus(instance.id).catch(describeError)
        : undefined;
    const previews = await requestPreviews(instance.id, endpoints, extra);
    send(
      res,
      200,
      instancePage({
        instance,
        connector,
        method,
        endpoints,
        hiddenCount: Math.max(0, (connector?.endpoints.length ?? 0) - endpoints.length),
        values: extra.values ?? {},
        bodyText: extra.bodyText ?? '',
        ...(extra.flash === undefined ? {} : { flash: extra.flash }),
        ...(extra.outcome === undefined ? {} : { outcome: extra.outcome }),
        ...(error === undefined ? {} : { error }),
        csrf,
        instances: await listInstances(),
        connectors,
        actions: {
          rename: typeof runtime.updateInstance === 'function',
          remove: typeof runtime.deleteInstance === 'function',
          reauthorize: interactive,
          disconnect: interactive && typeof runtime.disconnectInstance === 'function',
          choose: typeof runtime.chooseValue === 'function',
          rerun: hasSteps && typeof runtime.updateInstance === 'function',
        },
        ...(credentialStatus === undefined ? {} : { credentialStatus }),
        previews,
        now: Date.now(),
      }),
    );
  };

  // What each endpoint's call would send: with the values of the call just made for that
  // endpoint, the definition's defaults for the others.
  const requestPreviews = async (
    instanceId: string,
    endpoints: readonly { readonly id: string }[],
    extra: { outcome?: CallOutcome; values?: Record<string, string>; body?: JsonValue },
  ): Promise<Map<string, DashboardRequestPreview | ErrorView>> => {
    const previews = new Map<string, DashboardRequestPreview | ErrorView>();
    if (typeof runtime.previewRequest !== 'function') return previews;
    for (const endpoint of endpoints) {
      const called = extra.outcome?.endpointId === endpoint.id;
      const input = called
        ? {
            variables: extra.values ?? {},
            ...(extra.body === undefined ? {} : { body: extra.body }),
          }
        : {};
      previews.set(
        endpoint.id,
        await runtime.previewRequest(instanceId, endpoint.id, input).catch(describeError),
      );
    }
    return previews;
  };

  const changeInstance = async (
    res: ServerResponse,
    instanceId: string,
    action: InstanceChange,
    form: URLSearchParams,
  ): Promise<void> => {
    try {
      if (action === 'choose' && runtime.chooseValue !== undefined) {
        const stepId = form.get('stepId') ?? '';
        const choiceId = form.get('choiceId') ?? '';
        if (choiceId === '') throw invalidArgument('Nothing was chosen: pick one of the choices.');
        const instance = await runtime.chooseValue(instanceId, stepId, choiceId);
        redirect(
          res,
          `/instances/${encodeURIComponent(instanceId)}?${instance.status === 'pending_choice' ? 'choose=1#choice' : 'chosen=1'}`,
        );
        return;
      }
      if (action === 'rerun' && runtime.updateInstance !== undefined) {
        const instance = await runtime.updateInstance(instanceId, { rerunPostAuthorization: true });
        redirect(
          res,
          `/instances/${encodeURIComponent(instanceId)}?${instance.status === 'pending_choice' ? 'choose=1#choice' : 'rerun=1'}`,
        );
        return;
      }
      if (action === 'rename' && runtime.updateInstance !== undefined) {
        const name = (form.get('name') ?? '').trim();
        if (name === '') throw invalidArgument('The new name is empty: give the instance a name.');
        await runtime.updateInstance(instanceId, { name });
        redirect(res, `/instances/${encodeURIComponent(instanceId)}?renamed=1`);
      } else if (action === 'disconnect' && runtime.disconnectInstance !== undefined) {
        await runtime.disconnectInstance(instanceId);
        redirect(res, `/instances/${encodeURIComponent(instanceId)}?disconnected=1`);
      } else if (action === 'delete' && runtime.deleteInstance !== undefined) {
        const existed = await runtime.deleteInstance(instanceId);
        const index = known.indexOf(instanceId);
        if (index !== -1) known.splice(index, 1);
        redirect(res, existed ? '/?deleted=1' : '/');
      } else {
        await sendError(res, 'Not available', {
          code: 'NOT_FOUND',
          summary: 'This runtime does not offer that action.',
          message: `The runtime has no ${action} operation.`,
          httpStatus: 404,
        });
      }
    } catch (error) {
      await showInstance(res, instanceId, { error: describeError(error) });
    }
  };

  const callEndpoint = async (
    res: ServerResponse,
    instanceId: string,
    endpointId: string,
    form: URLSearchParams,
  ): Promise<void> => {
    const values: Record<string, string> = {};
    for (const [key, value] of form) {
      if (key.startsWith('v.') && value !== '') values[key.slice(2)] = value;
    }
    const bodyText = (form.get('body') ?? '').trim();
    let outcome: CallOutcome;
    let parsedBody: JsonValue | undefined;
    const started = performance.now();
    try {
      let body: JsonValue | undefined;
      if (bodyText !== '') {
        try {
          body = JSON.parse(bodyText) as JsonValue;
        } catch (cause) {
          throw invalidArgument(`"Extra JSON body" is not valid JSON: ${jsonParseProblem(cause)}`);
        }
      }
      parsedBody = body;
      const result = await runtime.callEndpoint(instanceId, endpointId, {
        variables: values,
        ...(body === undefined ? {} : { body }),
      });
      outcome = {
        endpointId,
        ok: true,
        status: result.status,
        durationMs: Math.round(performance.now() - started),
        contentType: headerText(result.headers['content-type']),
        headers: headerLines(result.headers),
        text: formatBody(result),
      };
      // An echo API answers with the request's own token, under any name: scrub every secret
      // value of the instance, not only credential-named fields.
      const scrubSecrets = runtime.scrubSecrets?.bind(runtime);
      if (scrubSecrets !== undefined) {
        // One pass over what is shown: scrubbing keeps the JSON well-formed (a secret's
        // JSON-escaped form is replaced too).
        const shown = JSON.parse(
          await scrubSecrets(
            instanceId,
            JSON.stringify({ headers: outcome.headers, text: outcome.text }),
          ),
        ) as { headers: Record<string, string>; text: string };
        outcome = { ...outcome, ...shown };
      }
    } catch (error) {
      outcome = { endpointId, ok: false, error: describeError(error) };
    }
    // Secret endpoint variables are never echoed back into the page.
    await showInstance(res, instanceId, {
      outcome,
      values,
      bodyText,
      ...(parsedBody === undefined ? {} : { body: parsedBody }),
    });
  };

  const checkPost = (req: IncomingMessage, form: URLSearchParams): boolean => {
    const from = req.headers.origin;
    if (from !== undefined && !allowedHosts.has(from.replace(/^http:\/\//, ''))) return false;
    return sameSecret(form.get('csrf') ?? '', csrf);
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Only our own host names: a DNS-rebinding page on another name cannot drive the dashboard.
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Misdirected request: open the dashboard at its 127.0.0.1 address.\n');
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (method === 'GET' && path.startsWith('/assets/')) {
      const name = path.slice('/assets/'.length);
      const asset = assets.get(name);
      if (asset === undefined) {
        res.writeHead(404, SECURITY_HEADERS);
        res.end();
        return;
      }
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'cache-control': 'no-cache',
        'content-type': ASSETS[name] ?? 'application/octet-stream',
      });
      res.end(asset);
      return;
    }
    if (method === 'GET' && path === '/') {
      await showHome(
        res,
        200,
        {
          connectorId: url.searchParams.get('connector'),
          methodId: url.searchParams.get('method'),
        },
        url.searchParams.get('deleted') === '1'
          ? { name: '', values: {}, flash: 'Instance deleted, with its credentials.' }
          : { name: '', values: {} },
      );
      return;
    }
    if (method === 'GET' && path === callbackPath) {
      await completeAuthorization(res, url);
      return;
    }
    const instanceMatch = /^\/instances\/([^/]+)$/.exec(path);
    if (method === 'GET' && instanceMatch?.[1] !== undefined) {
      const shown = Object.keys(FLASHES).find((key) => url.searchParams.get(key) === '1');
      const flash = shown === undefined ? undefined : FLASHES[shown];
      await showInstance(
        res,
        decodeURIComponent(instanceMatch[1]),
        flash === undefined ? {} : { flash },
      );
      return;
    }
    const callMatch = /^\/instances\/([^/]+)\/endpoints\/([^/]+)$/.exec(path);
    const reauthorizeMatch = /^\/instances\/([^/]+)\/reauthorize$/.exec(path);
    const changeMatch = new RegExp(`^/instances/([^/]+)/(${INSTANCE_CHANGES.join('|')})$`).exec(
      path,
    );
    if (
      method === 'POST' &&
      (path === '/instances' ||
        callMatch !== null ||
        reauthorizeMatch !== null ||
        changeMatch !== null)
    ) {
      const form = await readForm(req);
      if (!checkPost(req, form)) {
        const message =
          'The form did not come from this dashboard (missing or wrong form token): reload the page and try again.';
        await sendError(res, 'Request refused', {
          code: 'FORBIDDEN',
          summary: message,
          message,
          httpStatus: 403,
        });
        return;
      }
      if (callMatch?.[1] !== undefined && callMatch[2] !== undefined) {
        await callEndpoint(
          res,
          decodeURIComponent(callMatch[1]),
          decodeURIComponent(callMatch[2]),
          form,
        );
      } else if (reauthorizeMatch?.[1] !== undefined) {
        await reauthorize(res, decodeURIComponent(reauthorizeMatch[1]));
      } else if (changeMatch?.[1] !== undefined && changeMatch[2] !== undefined) {
        await changeInstance(
          res,
          decodeURIComponent(changeMatch[1]),
          changeMatch[2] as InstanceChange,
          form,
        );
      } else {
        await addInstance(res, form);
      }
      return;
    }
    await sendError(res, 'Not found', {
      code: 'NOT_FOUND',
      summary: `There is no page at ${path}.`,
      message: `Nothing at ${method} ${path}.`,
      httpStatus: 404,
    });
  };

  const server = createServer((req, res) => {
    route(req, res).catch(async (error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      await sendError(res, 'Something went wrong', describeError(error)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  origin = `http://${authority}`;
  allowedHosts = new Set([authority, `localhost:${port}`, `127.0.0.1:${port}`]);
  const callbackUrl = `${origin}${callbackPath}`;

  return {
    url: origin,
    callbackUrl,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
