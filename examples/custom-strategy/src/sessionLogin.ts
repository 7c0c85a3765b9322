import {
  type AuthContext,
  type AuthStrategy,
  type Credentials,
  type InstanceContext,
  invalidArgument,
  type JsonObject,
  SpliceError,
  storeKeys,
} from '@splice/core';
import { type HttpResponse, sendRequest } from '@splice/http';
import { type Dispatcher, getGlobalDispatcher } from 'undici';

/**
 * Options of {@link sessionLogin}.
 *
 * @example
 * ```ts
 * sessionLogin({ renewBeforeSeconds: 120 });
 * ```
 */
export interface SessionLoginOptions {
  /** Log in again this many seconds before a session expires; default 60. */
  readonly renewBeforeSeconds?: number;
}

/** The method `type` this strategy handles. */
export const SESSION_LOGIN = 'session-login';

const variable = (key: string, label: string, secret: boolean) => ({
  key,
  label,
  required: true,
  secret,
  configurable: true,
  advanced: false,
  locked: true,
});

/**
 * A session-login strategy (`type: session-login`), written only against the public
 * `AuthStrategy` contract: many APIs (ERPs, e-commerce admin APIs) take a username and password
 * once, at a login URL, and answer with a short-lived session token that later requests carry.
 * Built-in strategies cover API tokens, Basic, OAuth 1 and OAuth 2; this one shows the parts of
 * the contract a strategy with expiring credentials needs:
 *
 * - `authenticate`: log in when the instance is added — wrong credentials throw, nothing is saved;
 * - `getCredentials`: the session from memory (no I/O on the hot path), else from the store, and a
 *   fresh login shortly before it expires;
 * - `isExpiredResponse` + `refresh`: a 401 means the API dropped the session early: log in again,
 *   unless another call already did (its session is in the store), and the runtime replays once;
 * - `forget`: drop what is cached when the instance goes.
 *
 * The login URL is the method's `urls.login` (compiled per method, once); it answers
 * `{ "token": "…", "expires_in": 3600 }` to a JSON POST of `{ "username", "password" }`. The
 * session goes on requests through `apply` (default `Authorization: Session {{session_token}}`).
 *
 * @example
 * ```ts
 * const runtime = createRuntime({ connectors: [acme], strategies: [sessionLogin()] });
 * await runtime.addInstance({ connectorId: 'acme', authMethodId: 'acme-session', name: 'Ops',
 *   variables: { account: 'northwind', username: 'ops', password: process.env.ACME_PASSWORD! } });
 * ```
 */
export function sessionLogin(options: SessionLoginOptions = {}): AuthStrategy {
  const renewBeforeMs = (options.renewBeforeSeconds ?? 60) * 1000;
  if (!Number.isFinite(renewBeforeMs) || renewBeforeMs < 0) {
    throw invalidArgument(
      'sessionLogin option "renewBeforeSeconds" must be >= 0',
      'INVALID_OPTION',
    );
  }
  // Sessions per instance: the hot path reads this map and nothing else.
  const sessions = new Map<string, Credentials>();
  // One login at a time per instance: concurrent callers share it (never a burst of logins).
  const loggingIn = new Map<string, Promise<Credentials>>();

  const fresh = (credentials: Credentials, now: number) =>
    credentials.expiresAt === undefined || credentials.expiresAt - renewBeforeMs > now;

  async function loginAndSave(ctx: InstanceContext): Promise<Credentials> {
    let pending = loggingIn.get(ctx.instance.id);
    if (pending === undefined) {
      pending = (async () => {
        const credentials = await logIn(ctx);
        // Saved before anyone uses it, so other processes find it too.
        await ctx.store.set(
          storeKeys.credentials(ctx.instance.id),
          credentials as unknown as JsonObject,
        );
        sessions.set(ctx.instance.id, credentials);
        return credentials;
      })().finally(() => loggingIn.delete(ctx.instance.id));
      loggingIn.set(ctx.instance.id, pending);
    }
    return pending;
  }

  async function stored(ctx: InstanceContext): Promise<Credentials | undefined> {
    const entry = await ctx.store.get<JsonObject>(storeKeys.credentials(ctx.instance.id));
    return entry?.value as unknown as Credentials | undefined;
  }

  return {
    type: SESSION_LOGIN,
    interactive: false,
    variables: [variable('username', 'Username', false), variable('password', 'Password', true)],
    apply: { headers: { Authorization: 'Session {{session_token}}' }, query: {} },

    validateMethod(method) {
      return method.urls['login'] === undefined
        ? [{ path: 'urls.login', message: 'is required for session-login (where to log in)' }]
        : [];
    },

    // Adding an instance: the login itself checks the username and password.
    authenticate: (ctx) => logIn(ctx),

    async getCredentials(ctx) {
      const now = ctx.now();
      const cached = sessions.get(ctx.instance.id);
      if (cached !== undefined && fresh(cached, now)) return cached;
      const saved = await stored(ctx);
      if (saved === undefined) {
        // The instance's credentials are saved with it: none means it was deleted meanwhile.
        throw new SpliceError(
          'CREDENTIALS_INVALID',
          `Instance "${ctx.instance.id}" has no stored session: add it again.`,
          { details: { instanceId: ctx.instance.id, authMethodId: ctx.method.id } },
        );
      }
      if (fresh(saved, now)) {
        sessions.set(ctx.instance.id, saved);
        return saved;
      }
      return loginAndSave(ctx);
    },

    // The API answers 401 to a session it dropped (a restart, an admin logging everyone out).
    isExpiredResponse: (_ctx, response) => response.status === 401,

    async refresh(ctx, rejected) {
      // Another call (or process) may have logged in since: use its session, no second login.
      const saved = await stored(ctx);
      if (
        saved !== undefined &&
        saved.values['session_token'] !== rejected.values['session_token']
      ) {
        sessions.set(ctx.instance.id, saved);
        return saved;
      }
      return loginAndSave(ctx);
    },

    forget(instanceId) {
      sessions.delete(instanceId);
    },
  };
}

// One JSON POST to the login URL through Splice's HTTP edge (the runtime's dispatcher, bounded
// read, coded errors), within the method's timeout. Never puts the password in a message.
async function logIn(ctx: AuthContext): Promise<Credentials> {
  const details = { connectorId: ctx.connector.id, authMethodId: ctx.method.id };
  // The method's URLs come compiled on the context: a strategy never compiles a template itself.
  const template = ctx.templates.urls['login'];
  if (template === undefined) {
    throw new SpliceError(
      'CONNECTOR_INVALID',
      `Auth method "${ctx.method.id}" has no urls.login.`,
      {
        details: {
          ...details,
          issues: [{ path: 'urls.login', message: 'is required', code: 'required' }],
        },
      },
    );
  }
  const url = new URL(template.render(ctx.values));
  const dispatcher = (ctx.dispatcher as Dispatcher | undefined) ?? getGlobalDispatcher();
  const timeoutMs = ctx.method.timeoutSeconds * 1000;
  const response: HttpResponse = await sendRequest(
    dispatcher,
    {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username: ctx.values['username'], password: ctx.values['password'] }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    },
    {
      failure: 'TOKEN_REQUEST_FAILED',
      subject: `The login at ${url.origin}${url.pathname}`,
      maxBytes: 64 * 1024,
      details,
    },
  );
  if (response.status === 401 || response.status === 403) {
    throw new SpliceError(
      'CREDENTIALS_INVALID',
      `The login of auth method "${ctx.method.id}" was refused (HTTP ${response.status}): check the username and password.`,
      { details: { ...details, status: response.status } },
    );
  }
  let body: { token?: unknown; expires_in?: unknown } = {};
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    // Judged below: a login answer without a token is refused whatever it was.
  }
  if (response.status !== 200 || typeof body.token !== 'string' || body.token === '') {
    throw new SpliceError(
      'TOKEN_RESPONSE_INVALID',
      `The login of auth method "${ctx.method.id}" answered HTTP ${response.status} without a "token": is urls.login right?`,
      { details: { ...details, status: response.status } },
    );
  }
  const now = ctx.now();
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : undefined;
  return {
    values: { session_token: body.token },
    obtainedAt: now,
    ...(expiresIn === undefined ? {} : { expiresAt: now + expiresIn * 1000 }),
  };
}
