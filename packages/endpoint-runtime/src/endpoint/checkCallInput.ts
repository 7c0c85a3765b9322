import { CREDENTIAL_KEYS, invalidArgument } from '@splice/core';
import type { CallInput } from '../RuntimeOptions.js';

const CREDENTIAL_KEY_SET: ReadonlySet<string> = new Set(CREDENTIAL_KEYS);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks a call's input once, before anything is sent: plain objects of strings, and no credential
 * keys among the variables (a call must never swap the instance's token).
 *
 * @example
 * ```ts
 * checkCallInput({ variables: { status: 'open' } }); // ok
 * checkCallInput({ variables: { access_token: 'x' } }); // throws INVALID_ARGUMENT
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
      if (typeof value[key] !== 'string') {
        throw invalidArgument(
          `"input.${field}.${key}" of callEndpoint must be a string, got ${typeof value[key]}`,
        );
      }
      if (field === 'variables' && CREDENTIAL_KEY_SET.has(key)) {
        throw invalidArgument(
          `"input.variables.${key}" is a credential key: credentials come from the instance's strategy and cannot be passed to a call`,
        );
      }
    }
  }
}
