import { z } from 'zod';
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

function variableObject<F extends z.ZodType>(flags: (description: string) => F) {
  return z.strictObject({
    key: z
      .string()
      .min(1)
      .max(128)
      .regex(VARIABLE_KEY_PATTERN, {
        error:
          'must be a variable key: a letter, digit or "_", then letters, digits, "_", "." or "-"',
      })
      .refine((key) => key !== '__proto__', { error: 'may not be "__proto__"' })
      .meta({ description: 'The name used in templates as {{key}}.' }),
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
    required: flags('An instance cannot be added or a call made without a value.'),
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
export const authVariableSchema = variableObject(optionalFlag).meta({ id: 'AuthVariable' });

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

/** The URL-parameter, header and body tabs. */
export const requestSchema = z
  .strictObject({
    query: stringMap('Query parameters; values are templates.'),
    headers: headerMap('Headers; values are templates.'),
    body: z
      .record(z.string(), jsonValue)
      .default({})
      .meta({ description: 'Body fields; string leaves are templates.' }),
  })
  .default({ query: {}, headers: {}, body: {} })
  .meta({ id: 'Request' });

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
    apply: applySchema.optional(),
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
