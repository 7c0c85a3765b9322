import {
  HEADER_NAME_PATTERN,
  HEADER_VALUE_UNSAFE_PATTERN,
  invalidArgument,
  isReservedHeader,
} from '@splice/core';
import type { CallInput } from '../RuntimeOptions.js';

/** True for `{}`-made and null-prototype objects: what a caller's input map or object body is. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// A caller's header, judged as the definition's are (core's name pattern, value pattern and
// reserved names), before anything is sent: undici would refuse a CR/LF only after the retries,
// and a Host or framing header would reroute or smuggle the request. The value (it may be a
// secret) is never part of the message; the name is, JSON-quoted so it cannot break the message.
function checkHeader(name: string, value: string): void {
  if (!HEADER_NAME_PATTERN.test(name)) {
    throw invalidArgument(
      `"input.headers" of callEndpoint has the header name ${JSON.stringify(name)}, which is not an RFC 9110 token (letters, digits and !#$%&'*+.^_\`|~-)`,
    );
  }
  if (isReservedHeader(name)) {
    throw invalidArgument(
      `"input.headers.${name}" of callEndpoint is set by the HTTP client (Host, framing and hop-by-hop headers, Proxy-*): remove it; the endpoint's URL decides the host`,
    );
  }
  if (HEADER_VALUE_UNSAFE_PATTERN.test(value)) {
    throw invalidArgument(
      `"input.headers.${name}" of callEndpoint holds a control character (other than tab) or a character above U+00FF, which a header value may not hold (the value is not shown)`,
    );
  }
}

/**
 * Checks a call's input once, before anything is sent: plain objects of strings, and headers that are
 * valid (RFC 9110 token names; no control character but tab and nothing above U+00FF in values)
 * and not reserved for the HTTP client (`Host`, framing, hop-by-hop, `Proxy-*`). The header
 * checks run only when the call passes headers. Which variables a call may set depends on the
 * endpoint: `EndpointRequest.checkVariables` decides (credential keys included).
 *
 * @example
 * ```ts
 * checkCallInput({ variables: { status: 'open' } }); // ok
 * checkCallInput({ variables: { status: 1 } }); // throws INVALID_ARGUMENT
 * checkCallInput({ headers: { Host: 'internal.example' } }); // throws INVALID_ARGUMENT
 * ```
 */
export function checkCallInput(input: CallInput): void {
  if (input === null || typeof input !== 'object') {
    throw invalidArgument('"input" of callEndpoint must be an object or undefined');
  }
  for (const field of ['variables', 'headers', 'query'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (!isPlainObject(value)) {
      throw invalidArgument(`"input.${field}" of callEndpoint must be a plain object of strings`);
    }
    for (const key in value) {
      const item = value[key];
      if (typeof item !== 'string') {
        throw invalidArgument(
          `"input.${field}.${key}" of callEndpoint must be a string, got ${typeof item}`,
        );
      }
      if (field === 'headers') checkHeader(key, item);
    }
  }
}
