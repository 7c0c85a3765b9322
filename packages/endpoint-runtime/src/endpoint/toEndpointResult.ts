import { REDACTED, SECRET_KEY_PATTERN, SpliceError, scrub } from '@splice/core';

import type { EndpointCall, EndpointResponse, ResponseHeaders } from '../pipeline/EndpointCall.js';
import type { EndpointResult } from '../RuntimeOptions.js';
import type { EndpointTarget } from './EndpointTarget.js';

/**
 * How much of an error response's body an `ENDPOINT_HTTP_ERROR` carries.
 *
 * @example
 * ```ts
 * error.details.body.length <= ERROR_BODY_LIMIT; // true
 * ```
 */
export const ERROR_BODY_LIMIT = 4096;

// Secret-looking headers are dropped to a marker; every other value is scrubbed, since an API may
// echo what it was sent (e.g. in `WWW-Authenticate`).
function safeHeaders(
  headers: ResponseHeaders,
  secrets: readonly string[],
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (SECRET_KEY_PATTERN.test(name)) out[name] = REDACTED;
    else if (typeof value === 'string') out[name] = scrub(value, secrets);
    else out[name] = value.map((item) => scrub(item, secrets));
  }
  return out;
}

// JSON.parse's message quotes the start of the body (`Unexpected token 'h', "hello…" is not valid
// JSON`), and a 2xx body is API data that may hold anything: keep only what the parser says went
// wrong and where, never the quoted text.
function parseFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const problem = message
    .split('"')[0]!
    .replace(/[,\s]+$/, '')
    .slice(0, 80);
  const position = /at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(message);
  const where = position === null || problem.includes(position[0]) ? '' : ` ${position[0]}`;
  return `${problem || 'not valid JSON'}${where}`;
}

function ids(target: EndpointTarget): Record<string, string> {
  return {
    connectorId: target.instance.connector.definition.id,
    authMethodId: target.instance.method.definition.id,
    instanceId: target.instance.record.id,
    endpointId: target.endpoint.definition.id,
  };
}

/**
 * Turns the pipeline's final answer into the call's result: a 2xx becomes `{ status, headers,
 * body, data }` (`data` parsed for `json` endpoints, the raw text otherwise); anything else is an
 * `ENDPOINT_HTTP_ERROR` carrying the status, the headers (secret-looking ones redacted) and the
 * first {@link ERROR_BODY_LIMIT} characters of the body with every secret of the instance
 * scrubbed out. Redirects are not followed, so a 3xx is an error too (its `location` included).
 *
 * @example
 * ```ts
 * const result = toEndpointResult(target, { status: 200, headers: {}, body: '{"a":1}' }, call);
 * result.data; // { a: 1 }
 * ```
 */
export function toEndpointResult<T>(
  target: EndpointTarget,
  response: EndpointResponse,
  call: EndpointCall,
): EndpointResult<T> {
  const { status, headers, body } = response;
  if (status < 200 || status >= 300) {
    const secrets = target.instance.secrets(target.lastCredentials);
    const endpoint = target.endpoint.definition;
    throw new SpliceError(
      'ENDPOINT_HTTP_ERROR',
      `Endpoint "${endpoint.id}" of connector "${target.instance.connector.definition.id}" answered HTTP ${status} (${call.attempts} attempt${call.attempts === 1 ? '' : 's'}${call.refreshed ? ', credential refreshed once' : ''}). See error.details.body for what the API said.`,
      {
        details: {
          ...ids(target),
          status,
          headers: safeHeaders(headers, secrets),
          body: scrub(body.slice(0, ERROR_BODY_LIMIT), secrets),
          bodyTruncated: body.length > ERROR_BODY_LIMIT,
          attempts: call.attempts,
        },
      },
    );
  }
  if (target.endpoint.definition.dataType !== 'json') {
    return { status, headers, body, data: body as T };
  }
  if (body === '') return { status, headers, body, data: undefined as T };
  let data: T;
  try {
    data = JSON.parse(body) as T;
  } catch (error) {
    const secrets = target.instance.secrets(target.lastCredentials);
    throw new SpliceError(
      'RESPONSE_PARSE_FAILED',
      `Endpoint "${target.endpoint.definition.id}" has dataType "json" but answered HTTP ${status} with a body that is not JSON (content-type ${String(headers['content-type'] ?? 'none')}). Set the endpoint's dataType to match what the API returns.`,
      {
        details: {
          ...ids(target),
          status,
          contentType: headers['content-type'] ?? null,
          reason: scrub(parseFailure(error), secrets),
        },
      },
    );
  }
  return { status, headers, body, data };
}
