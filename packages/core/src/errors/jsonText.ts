import { invalidArgument } from './invalidArgument.js';

/**
 * `JSON.stringify(value)`, or the coded error a caller can act on: `JSON.stringify` throws a bare
 * `TypeError` for a cycle or a BigInt and returns `undefined` for a function, a symbol,
 * `undefined` or an object whose `toJSON` returns `undefined`. `what` names the input, e.g.
 * `"input.body" of callEndpoint`. V8's message for a cycle names properties and constructors,
 * never values, and is kept. An error thrown by the value's own `toJSON` is the caller's and
 * passes through as it was.
 *
 * Errors: `INVALID_ARGUMENT` (a `TypeError`).
 *
 * @example
 * ```ts
 * jsonText({ qty: 2n }, '"input.body" of callEndpoint');
 * // TypeError INVALID_ARGUMENT: "input.body" of callEndpoint is not JSON (Do not know how to
 * // serialize a BigInt): pass plain data (objects, arrays, strings, numbers, booleans, null)
 * // without cycles or BigInt values
 * ```
 */
export function jsonText(value: unknown, what: string): string {
  // JSON writes a Map or a Set as `{}`: its entries would be lost without a word. Checked at the
  // top (a nested one would need a replacer on every call's body).
  if (value instanceof Map || value instanceof Set) {
    const kind = value instanceof Map ? 'a Map' : 'a Set';
    throw invalidArgument(
      `${what} is ${kind}, which JSON writes as {} (its entries would be lost): pass ${value instanceof Map ? 'Object.fromEntries(map)' : '[...set]'} instead`,
    );
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw invalidArgument(
      `${what} is not JSON (${error.message.replace(/\s*\n\s*/g, ' ')}): ${PLAIN_DATA} without cycles or BigInt values`,
    );
  }
  if (text === undefined)
    throw invalidArgument(`${what} is ${describe(value)}, which JSON cannot hold: ${PLAIN_DATA}`);
  return text;
}

const PLAIN_DATA = 'pass plain data (objects, arrays, strings, numbers, booleans, null)';

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  // Only an object whose own toJSON gives nothing JSON can hold comes out as no text.
  return typeof value === 'object'
    ? 'an object whose toJSON() returns undefined'
    : `a ${typeof value}`;
}
