import {
  jsonParseProblem,
  REDACTED,
  SECRET_KEY_PATTERN,
  SpliceError,
  scrub,
  scrubCut,
} from '@splice/core';

import type { HttpResponse, ResponseHeaders } from '@splice/http';
import type { EndpointResult } from '../RuntimeOptions.js';
import type { ActiveCall } from './ActiveCall.js';

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

/**
 * Turns the pipeline's final answer into the call's result: a 2xx becomes `{ status, headers,
 * body, data }` (`data` parsed for `json` endpoints, the raw text otherwise); anything else is an
 * `ENDPOINT_HTTP_ERROR` carrying the status, the headers (secret-looking ones redacted) and the
 * first {@link ERROR_BODY_LIMIT} characters of the body with every secret of the call scrubbed
 * out in every encoding, and no beginning of a secret at the cut. Redirects are not followed, so a 3xx is an error too (its `location` included).
 *
 * @example
 * ```ts
 * const result = toEndpointResult(call, { status: 200, headers: {}, body: '{"a":1}' });
 * result.data; // { a: 1 }
 * ```
 */
export function toEndpointResult<T>(call: ActiveCall, response: HttpResponse): EndpointResult<T> {
  const { status, headers, body } = response;
  const { compiled } = call.endpoint;
  if (status < 200 || status >= 300) {
    // The credentials this call sent (and any a refresh replaced), never another call's.
    const secretValues = call.endpoint.secrets(call.input, call.credentials, call.rejected);
    // Scrubbed before the cut, and the cut leaves no beginning of a secret (scrubCut).
    const excerpt = scrubCut(body, secretValues, ERROR_BODY_LIMIT);
    throw new SpliceError(
      'ENDPOINT_HTTP_ERROR',
      `Endpoint "${compiled.definition.id}" of connector "${call.ids.connectorId}" answered HTTP ${status} (${call.attempts} attempt${call.attempts === 1 ? '' : 's'}${call.refreshed ? ', credential refreshed once' : ''}). See error.details.body for what the API said.`,
      {
        details: {
          ...call.ids,
          status,
          headers: safeHeaders(headers, secretValues),
          body: excerpt.text,
          bodyTruncated: excerpt.truncated,
          attempts: call.attempts,
        },
      },
    );
  }
  if (compiled.definition.dataType !== 'json') {
    return { status, headers, body, data: body as T };
  }
  if (body === '') return { status, headers, body, data: undefined as T };
  let data: T;
  try {
    data = JSON.parse(body) as T;
  } catch (error) {
    throw new SpliceError(
      'RESPONSE_PARSE_FAILED',
      `Endpoint "${compiled.definition.id}" has dataType "json" but answered HTTP ${status} with a body that is not JSON (content-type ${String(headers['content-type'] ?? 'none')}). Set the endpoint's dataType to match what the API returns.`,
      {
        details: {
          ...call.ids,
          status,
          contentType: headers['content-type'] ?? null,
          reason: scrub(
            jsonParseProblem(error),
            call.endpoint.secrets(call.input, call.credentials, call.rejected),
          ),
        },
      },
    );
  }
  return { status, headers, body, data };
}
