import * as z from 'zod';
import type { JsonValue } from './types.js';

// The one schema of a connector definition (SPEC §2). `parseConnector` validates with it and
// `connectorJsonSchema()` generates the editor schema from it, so the two cannot drift. Objects are
// strict (an unknown field is an error: usually a typo that would otherwise be ignored silently).
// Checks that span several fields (duplicates, references, templates) live in `checkConnector`.

/**
 * Ids of connectors, methods and endpoints.
 *
 * @example
 * ```ts
 * ID_PATTERN.test('list-orders'); // true
 * ```
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/**
 * Variable keys: what a `{{ key }}` placeholder can name.
 *
 * @example
 * ```ts
 * VARIABLE_KEY_PATTERN.test('store_name'); // true
 * ```
 */
export const VARIABLE_KEY_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/**
 * The most characters a variable default may have (the platform's limit).
 *
 * @example
 * ```ts
 * if (value.length > MAX_DEFAULT_LENGTH) reject();
 * ```
 */
export const MAX_DEFAULT_LENGTH = 1024;

const id = (what: string) =>
  z
    .string()
    .min(1)
    .max(128)
    .regex(ID_PATTERN, {
      error: `must be an id: a letter or digit, then letters, digits, ".", "_" or "-"`,
    })
    .meta({
      description: `The ${what} id: a letter or digit, then letters, digits, ".", "_", "-".`,
    });

const text = (description: string) => z.string().min(1).max(1024).meta({ description });

const flag = (description: string) => z.boolean().default(false).meta({ description });
// An auth method's variable keeps only what the definition wrote: the strategy's defaults fill the
// rest (mergeVariables), so an unwritten flag must stay unset rather than become `false`.
const optionalFlag = (description: string) => z.boolean().optional().meta({ description });

// The one rule for a variable's or captured value's key (and `isVariableKey`).
const variableKey = z
  .string()
  .min(1)
  .max(128)
  .regex(VARIABLE_KEY_PATTERN, {
    error: 'must be a variable key: a letter, digit or "_", then letters, digits, "_", "." or "-"',
  })
  .refine((key) => key !== '__proto__', { error: 'may not be "__proto__"' });

/**
 * Whether `key` is a key a definition may declare for a variable or a captured value: 1 to 128
 * characters matching {@link VARIABLE_KEY_PATTERN}, not `__proto__`. A did-you-mean offers only
 * such keys: a declared key that breaks the rule is reported where it is declared.
 *
 * @example
 * ```ts
 * isVariableKey('store_name'); // true
 * isVariableKey('store name'); // false
 * ```
 */
export function isVariableKey(key: string): boolean {
  return variableKey.safeParse(key, { jitless: true }).success;
}

function variableObject<F extends z.ZodType>(flags: (description: string) => F) {
  return z.strictObject({
    key: variableKey.meta({ description: 'The name used in templates as {{key}}.' }),
    label: text('Display name.').optional(),
    alias: text("The external system's name for this value.").optional(),
    default: z
      .union([z.string(), z.number(), z.boolean()], {
        error: 'must be a string, number or boolean',
      })
      .transform(String)
      .pipe(
        z.string().max(MAX_DEFAULT_LENGTH, {
          error: `must be at most ${MAX_DEFAULT_LENGTH} characters`,
        }),
      )
      .meta({ description: 'Default value (at most 1024 characters); numbers become strings.' })
      .optional(),
    required: flags(
      "An instance cannot be added or a call made without a value. For auth variables the strategy's rule is asked first and wins: e.g. OAuth 2 needs no client_secret when token_endpoint_auth_method is none (a public client).",
    ),
    configurable: flags('The value may be changed per instance.'),
    advanced: flags('Shown only in advanced settings.'),
    secret: flags('Encrypted at rest and never shown, logged or put in an error.'),
    locked: flags('Contributed by the strategy: may be relabelled, never removed.'),
    perCall: z.boolean().optional().meta({
      description:
        "A connector or auth variable that a call's input may set for that call (endpoint variables always may). Never one in an endpoint URL's host: a call cannot change where the instance's requests go.",
    }),
  });
}

/** A connector or endpoint variable. `default` may be written as a number or boolean (YAML) and becomes a string. */
export const variableSchema = variableObject(flag).meta({ id: 'Variable' });

/**
 * An auth method's variable: like {@link variableSchema}, but the flags it does not write stay
 * unset, so the strategy's default variable of the same key keeps them.
 */
export const authVariableSchema = variableObject(optionalFlag).meta({
  id: 'AuthVariable',
  examples: [
    // A public OAuth 2 client: client_secret is then not required, whatever its flag says.
    { key: 'token_endpoint_auth_method', default: 'none' },
    { key: 'client_id', label: 'App ID', required: true },
  ],
});

// Recursive, so it gets a name in the JSON Schema's `$defs`.
const jsonValue: z.ZodType<JsonValue> = z
  .union(
    [
      z.string(),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(z.lazy(() => jsonValue)),
      z.record(
        z.string(),
        z.lazy(() => jsonValue),
      ),
    ],
    { error: 'must be a JSON value' },
  )
  .meta({ id: 'JsonValue' });

const variables = z.array(variableSchema).default([]);
/**
 * A header name: an RFC 9110 §5.1 token, so a definition cannot smuggle a line break in.
 *
 * @example
 * ```ts
 * HEADER_NAME_PATTERN.test('X-Api-Version'); // true
 * ```
 */
export const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const stringMap = (description: string) =>
  z.record(z.string(), z.string()).default({}).meta({ description });
const headerMap = (description: string) =>
  z
    .record(
      z
        .string()
        .regex(HEADER_NAME_PATTERN, { error: 'is not a valid header name (RFC 9110 token)' }),
      z.string(),
    )
    .default({})
    .meta({ description });

/**
 * The URL-parameter, header and body tabs. Where each is sent (the platform's rule): on an auth
 * method, `query` goes on the authorisation URL only, `headers` and `body` on the auth requests
 * (token, refresh) and on every endpoint request of its instances; on an endpoint, all three go on
 * that endpoint's requests. Parts for the token requests only belong in `tokenRequest`.
 */
export const requestSchema = z
  .strictObject({
    query: stringMap(
      "Query parameters; values are templates. An auth method's go on the authorisation URL only (never on token or endpoint requests), e.g. Google's access_type=offline and prompt=consent; an endpoint's go on its requests.",
    ).meta({ examples: [{ access_type: 'offline', prompt: 'consent' }] }),
    headers: headerMap(
      "Headers; values are templates. An auth method's go on its token requests and on every endpoint request; an endpoint's on its requests.",
    ).meta({ examples: [{ 'X-Api-Version': '2024-01' }] }),
    body: z
      .record(z.string(), jsonValue)
      .default({})
      .meta({
        description:
          "Body fields; string leaves are templates. An auth method's go in its token request forms and are merged into every endpoint body; an endpoint's into its body. Use tokenRequest.body for fields only the token endpoint may see.",
        examples: [{ account: '{{account}}' }],
      }),
  })
  .default({ query: {}, headers: {}, body: {} })
  .meta({ id: 'Request' });

// --- Token-request-only parts (request parts where the platform sends them) ---

/**
 * Parts of an auth method sent on its token requests only — the code exchange and every refresh
 * (RFC 6749 §4.1.3, §6; OAuth 1 temporary and token credential requests, RFC 5849 §2.1, §2.3) —
 * and never on an endpoint request: Entra ID's `scope` on refresh, Azure AD v1's `resource`,
 * Auth0's `audience`. Laid over the method's `request` header and body tabs on those requests; the
 * strategy's protocol parameters (`grant_type`, `code`, `client_id`, ...) always win.
 *
 * @example
 * ```ts
 * tokenRequestSchema.parse({ body: { scope: 'offline_access Files.Read' } });
 * ```
 */
export const tokenRequestSchema = z
  .strictObject({
    headers: headerMap('Headers sent on token requests only; values are templates.'),
    body: z
      .record(z.string(), jsonValue)
      .default({})
      .meta({
        description:
          'Form fields sent on token requests only (code exchange and refresh); string leaves are templates, other JSON values are sent as JSON text.',
        examples: [{ scope: 'offline_access https://graph.microsoft.com/Files.Read' }],
      }),
  })
  .meta({
    id: 'TokenRequest',
    description:
      "Parts sent on the method's token requests only (code exchange and refresh), never on an endpoint request: e.g. Entra ID's scope on refresh, Azure AD v1's resource, Auth0's audience.",
    examples: [{ body: { audience: 'https://api.example.com' } }],
  });

// --- Provider error dialects ---

/**
 * Default `dialect.invalidGrant.errors`: the OAuth `error` values of a refresh answer that mean the
 * grant is dead — RFC 6749 §5.2's `invalid_grant`, and GitHub's `bad_refresh_token`, which GitHub
 * answers with HTTP 200 (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens).
 *
 * @example
 * ```ts
 * DEFAULT_INVALID_GRANT_ERRORS.includes('bad_refresh_token'); // true
 * ```
 */
export const DEFAULT_INVALID_GRANT_ERRORS: readonly string[] = Object.freeze([
  'invalid_grant',
  'bad_refresh_token',
]);

/**
 * Default `dialect.bearerTokenTypes`: the `token_type` values (any case) sent as
 * `Authorization: Bearer` by the strategy's default apply — RFC 6750's `Bearer`, and Slack's `bot`
 * and `user` (https://docs.slack.dev/authentication/installing-with-oauth), sent as Bearer tokens.
 *
 * @example
 * ```ts
 * DEFAULT_BEARER_TOKEN_TYPES.includes('bot'); // true
 * ```
 */
export const DEFAULT_BEARER_TOKEN_TYPES: readonly string[] = Object.freeze([
  'bearer',
  'bot',
  'user',
]);

/**
 * The largest answer body, in bytes, that a dialect body rule (`invalidToken.body` on endpoint
 * answers, `invalidGrant.body` on refused refreshes) looks at: a bigger one is never parsed to
 * look (it is data, not an error message).
 *
 * @example
 * ```ts
 * if (body.length > EXPIRED_TOKEN_BODY_MAX_BYTES) return false;
 * ```
 */
export const EXPIRED_TOKEN_BODY_MAX_BYTES = 16 * 1024;

const statusList = (description: string) =>
  z
    .array(
      z
        .number()
        .int({ error: 'must be an HTTP status (100-599)' })
        .min(100, { error: 'must be an HTTP status (100-599)' })
        .max(599, { error: 'must be an HTTP status (100-599)' }),
    )
    .meta({ description });

/** One rule on a small JSON answer body: the value at `path` is one of `equals`. */
export const bodyRuleSchema = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .max(256)
      .meta({ description: 'Dotted path into the JSON body, e.g. error.code.' }),
    equals: z
      .array(z.union([z.string(), z.number(), z.boolean()]))
      .min(1, { error: 'needs at least one value' })
      .meta({ description: 'Values that match (compared as text: 401 matches "401").' }),
  })
  .meta({
    id: 'BodyRule',
    description: 'Matches a JSON answer body whose value at path is one of equals.',
    examples: [{ path: 'error.code', equals: ['TOKEN_EXPIRED'] }],
  });

/**
 * How a provider says what the standards say otherwise, per auth method (each field optional,
 * defaults in the descriptions): which token-endpoint answers mean a dead grant, which endpoint
 * answers mean an expired access token, which `token_type` values are bearer tokens. Read by the
 * OAuth 2 strategy.
 *
 * @example
 * ```ts
 * dialectSchema.parse({ invalidToken: { body: [{ path: 'error', equals: ['invalid_token'] }] } });
 * ```
 */
export const dialectSchema = z
  .strictObject({
    invalidGrant: z
      .strictObject({
        errors: z
          .array(z.string().min(1).max(128))
          .meta({
            description:
              'OAuth "error" values of a refresh answer that mean the grant is dead, at any status (HTTP 200 included), in addition to the defaults invalid_grant and bad_refresh_token (GitHub, sent with HTTP 200).',
            examples: [['invalid_refresh_token']],
          })
          .optional(),
        statuses: statusList(
          'Statuses of a refresh answer that mean the grant is dead whatever the body, e.g. [401] for a provider that refuses a revoked refresh token with a bare 401. Default: none.',
        ).optional(),
        body: z
          .array(bodyRuleSchema)
          .min(1, { error: 'needs at least one rule (or leave body out)' })
          .meta({
            description:
              'Rules on the JSON body of a refused refresh (at most 16 KiB; a bigger one is never parsed), for providers whose answer has no OAuth "error" or words it in members of their own, e.g. HubSpot\'s {"status":"BAD_REFRESH_TOKEN"}: when one matches, the grant is dead. Looked at on an error status, or on a 200 without an access token. Default: none.',
            examples: [[{ path: 'status', equals: ['BAD_REFRESH_TOKEN'] }]],
          })
          .optional(),
      })
      .meta({
        description:
          'Token-endpoint answers to a refresh that mean the grant is dead: the instance becomes reauthorization_required, the event fires once, and no further token request is sent.',
        examples: [{ errors: ['invalid_refresh_token'], statuses: [401] }],
      })
      .optional(),
    invalidToken: z
      .strictObject({
        body: z
          .array(bodyRuleSchema)
          .min(1, { error: 'needs at least one rule (or leave invalidToken out)' })
          .meta({
            description:
              'Rules on a small JSON answer body (at most 16 KiB; a bigger one is never parsed), at any status including 200: when one matches, the access token is refreshed once and the request replayed once.',
          }),
      })
      .meta({
        description:
          'Endpoint answers that mean the access token expired, beyond expired_token_statuses (default 401) and WWW-Authenticate: Bearer error="invalid_token".',
        examples: [{ body: [{ path: 'error', equals: ['invalid_token'] }] }],
      })
      .optional(),
    bearerTokenTypes: z
      .array(z.string().min(1).max(64))
      .meta({
        description:
          'token_type values (any case) sent as "Authorization: Bearer" by the default apply, replacing the default [bearer, bot, user] (RFC 6750; Slack bot and user tokens). A method that writes its own apply decides itself and accepts any token_type.',
        examples: [['bearer', 'bot', 'user']],
      })
      .optional(),
  })
  .meta({
    id: 'Dialect',
    description:
      'How the provider says what the standards say otherwise (OAuth 2 authorization code): dead grants, expired access tokens, token types. Each field has a default that follows RFC 6749/6750 and well-known providers.',
    examples: [
      {
        invalidGrant: { errors: ['invalid_refresh_token'] },
        invalidToken: { body: [{ path: 'error.code', equals: ['TOKEN_EXPIRED'] }] },
      },
    ],
  });

/** How the credential goes on endpoint requests. */
export const applySchema = z
  .strictObject({
    headers: headerMap('Headers added to every endpoint request; may use credential keys.'),
    query: stringMap('Query parameters added to every endpoint request; may use credential keys.'),
  })
  .meta({ id: 'Apply' });

const timeoutSeconds = z
  .number()
  .positive()
  .max(3600)
  .default(30)
  .meta({ description: 'Seconds to wait for a request to complete.' });

// --- Captured values and post-authorization steps --------------------------------------------
// Values a provider hands over during consent (a callback parameter, a token-response field, the
// answer of a request run after consent) become instance values under a key the method declares.

const capturedKey = variableKey.meta({
  description: 'The instance value it becomes, used in templates as {{key}}.',
});

const capturedFields = {
  key: capturedKey,
  field: z.string().min(1).max(256).meta({
    description:
      'Where the value is: a callback parameter name, or a dotted path in a JSON answer (`instance_url`, `data.realm.id`).',
  }),
  secret: flag('Encrypted at rest and never shown, logged or put in an error.'),
  required: z.boolean().default(true).meta({
    description:
      'When true (default) adding the instance fails with CAPTURE_INVALID if the value is missing; when false a missing value is simply not set.',
  }),
  origins: z
    .array(z.string().min(1).max(256))
    .min(1)
    .meta({
      description:
        'Makes the value usable as the origin a URL begins with (`{{instance_url}}/services/data/v59.0/query`): the origins it may be, as patterns (`https://*.my.salesforce.com`, `https://www.zohoapis.eu`; `*` is one leftmost DNS label). A value no pattern allows is refused when captured (CAPTURE_INVALID) and nothing is sent with it.',
    })
    .optional(),
};

/**
 * A value captured during consent from the callback (`from: callback`, QuickBooks `realmId`) or
 * the token response (`from: token`, Salesforce `instance_url`).
 */
export const capturedValueSchema = z
  .strictObject({
    ...capturedFields,
    from: z.enum(['callback', 'token']).meta({
      description:
        '`callback`: a query parameter of the authorization callback (captured at consent). `token`: a field of the token response (captured at consent, updated by each refresh that carries it again).',
    }),
    equals: z
      .string()
      .min(1)
      .max(1024)
      .meta({
        description:
          "A callback value the provider must send exactly, as a text template of the instance's variables (Shopify: `shop` is `{{shop | lower}}.myshopify.com`). Another value is refused (CAPTURE_INVALID, reason `mismatch`) before the code is exchanged. Only with `from: callback`.",
      })
      .optional(),
  })
  .meta({
    id: 'CapturedValue',
    description:
      'A value the provider hands over during consent, kept with the instance. Example (QuickBooks): `{ key: realm_id, from: callback, field: realmId }`, then `url: https://quickbooks.api.intuit.com/v3/company/{{realm_id}}/query`. Example (Salesforce): `{ key: instance_url, from: token, field: instance_url, origins: ["https://*.my.salesforce.com"] }`, then `url: "{{instance_url}}/services/data/v59.0/query"`.',
  });

/** A field of a post-authorization step's answer (or of the chosen item) kept as an instance value. */
export const stepCapturedValueSchema = z
  .strictObject(capturedFields)
  .meta({ id: 'StepCapturedValue' });

/**
 * A request the runtime sends right after consent, with the new credentials (the method's
 * `apply`), whose answer provides instance values: Xero `GET /connections` → `tenantId`,
 * Atlassian `accessible-resources` → `id`.
 */
export const postAuthorizationStepSchema = z
  .strictObject({
    id: id('post-authorization step'),
    method: z.enum(['GET', 'POST']).default('GET'),
    url: z.string().min(1).meta({
      description:
        'URL template; may use variables and values captured before it (callback, token response, earlier steps).',
    }),
    request: requestSchema,
    bodyFormat: z
      .enum(['json', 'form'])
      .meta({
        description:
          "How a POST step sends its body: `json` (default) or `form` (application/x-www-form-urlencoded), e.g. an RFC 7662 token introspection such as HubSpot's `POST /oauth/2026-03/token/introspect`.",
      })
      .optional(),
    choices: z
      .strictObject({
        path: z.string().max(256).default('').meta({
          description:
            'Dotted path of the list in the answer; empty (default) when the answer itself is the list.',
        }),
        id: z.string().min(1).max(256).meta({
          description:
            'Dotted path, in each item, of the id that identifies a choice (`tenantId`).',
        }),
        label: z
          .string()
          .min(1)
          .max(256)
          .meta({
            description: 'Dotted path, in each item, of the name shown to the user (`tenantName`).',
          })
          .optional(),
      })
      .meta({
        description:
          "The answer is a list to choose from (several Xero organisations, several Jira sites): one item is taken as it is; with several, the instance waits in status `pending_choice` until `runtime.chooseValue()` records the user's choice (never the first one silently); none is CAPTURE_INVALID. `captured` fields are then read from the chosen item.",
      })
      .optional(),
    captured: z.array(stepCapturedValueSchema).min(1, {
      error: 'needs at least one captured value: a step exists to capture values',
    }),
  })
  .meta({
    id: 'PostAuthorizationStep',
    description:
      'Example (Xero): `{ id: tenant, url: https://api.xero.com/connections, choices: { id: tenantId, label: tenantName }, captured: [{ key: tenant_id, field: tenantId }] }`, then each endpoint\'s `request.headers: { xero-tenant-id: "{{tenant_id}}" }` (not the method tabs: they also go on the token requests, sent before the tenant is known).',
  });

/** One authentication method. */
export const authMethodSchema = z
  .strictObject({
    id: id('authentication method'),
    name: text('Shown to users when they add an instance.'),
    type: z.string().min(1).meta({ description: 'The strategy, e.g. oauth2-authorization-code.' }),
    timeoutSeconds,
    documentationUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .meta({ description: 'Link to the API documentation.' })
      .optional(),
    variables: z.array(authVariableSchema).default([]),
    urls: z
      .record(z.string(), z.string())
      .default({})
      .meta({ description: 'Named URL templates: token, authorise, reauthenticate, ...' }),
    request: requestSchema,
    // Request parts where the platform sends them: token requests only.
    tokenRequest: tokenRequestSchema.optional(),
    // Provider error dialects.
    dialect: dialectSchema.optional(),
    apply: applySchema.optional(),
    // Captured values and post-authorization steps.
    captured: z.array(capturedValueSchema).default([]).meta({
      description:
        'Values taken from the authorization callback or the token response and kept with the instance.',
    }),
    postAuthorization: z.array(postAuthorizationStepSchema).default([]).meta({
      description:
        'Requests run after consent (in order; again with `updateInstance({ rerunPostAuthorization: true })`) whose answers provide instance values.',
    }),
  })
  .meta({ id: 'AuthMethod' });

/** One endpoint. */
export const endpointSchema = z
  .strictObject({
    id: id('endpoint'),
    name: text('Shown in connector shapes.'),
    entity: text('Groups endpoints, e.g. orders.').optional(),
    direction: z.enum(['receive', 'send']).default('receive'),
    method: z.enum(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']),
    url: z.string().min(1).meta({ description: 'URL template.' }),
    dataType: z.enum(['json', 'xml', 'csv', 'txt']).default('json'),
    bodyFormat: z.enum(['json', 'form']).default('json'),
    timeoutSeconds,
    variables,
    request: requestSchema,
    authMethods: z
      .array(z.string())
      .default([])
      .meta({ description: 'Ids of the authentication methods this endpoint is enabled for.' }),
  })
  .meta({ id: 'Endpoint' });

/**
 * The zod schema of a whole connector definition (SPEC §2): strict objects, defaults filled on
 * output. `parseConnector` adds the checks that span fields; prefer it over parsing with this.
 *
 * @example
 * ```ts
 * const result = connectorSchema.safeParse(input); // shape only
 * ```
 */
export const connectorSchema = z
  .strictObject({
    $schema: z
      .string()
      .meta({ description: 'Path or URL of this JSON Schema, for editors; ignored.' })
      .optional(),
    id: id('connector'),
    name: text('Display name.'),
    version: z
      .union([z.string().min(1).max(128), z.number()])
      .transform(String)
      .meta({ description: 'Version label, e.g. "1" or "Version 1 - 28th July 2023".' }),
    description: z.string().max(10_000).optional(),
    rateLimit: z
      .strictObject({
        amount: z.number().int().positive(),
        unit: z.enum(['second', 'minute', 'hour', 'day']),
      })
      .meta({ description: 'Default rate limit of new instances; excess requests queue.' })
      .optional(),
    variables,
    authMethods: z.array(authMethodSchema).min(1, {
      error: 'needs at least one authentication method',
    }),
    endpoints: z.array(endpointSchema).min(1, { error: 'needs at least one endpoint' }),
  })
  .meta({ title: 'Splice connector definition' });

/**
 * What the schema accepts (before defaults are filled): the type of a definition as written.
 *
 * @example
 * ```ts
 * const draft: ConnectorInput = { id: 'acme', name: 'Acme', version: 1, authMethods, endpoints };
 * ```
 */
export type ConnectorInput = z.input<typeof connectorSchema>;
