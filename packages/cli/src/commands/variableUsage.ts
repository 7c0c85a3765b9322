import { SpliceError, unknownKeysHint, type VariableDefinition } from '@splice/core';
import { envName } from './readVariables.js';

/** A variable key as the user gave it: the key and where (`--var`, `--var-file secrets.env`). */
export interface GivenKey {
  readonly key: string;
  /** `--var`, or `--var-file <name>` (`--var-file standard input`). */
  readonly source: string;
}

/**
 * The usage error of variable keys a command does not take (a misspelt `--var clientid=…`), in
 * the command line's terms: each key with the flag it came from and the settable key it most
 * likely meant (`suggestions` already found, else core's `unknownKeysHint`), then the keys that
 * can be set as `unknownKeysHint` lists them (a user's keys first, advanced ones shortened to a
 * few and a count). Only keys are named, never a value.
 *
 * @example
 * ```ts
 * unknownVariables([{ key: 'clientid', source: '--var' }], 'auth method "acme-oauth"', [
 *   { key: 'client_id', advanced: false },
 * ]);
 * // --var clientid: auth method "acme-oauth" has no variable "clientid"; did you mean --var client_id=…?
 * //   keys you can set: client_id
 * ```
 */
export function unknownVariables(
  given: readonly GivenKey[],
  owner: string,
  settable: readonly Pick<VariableDefinition, 'key' | 'advanced'>[],
  suggestions: Readonly<Record<string, string>> = {},
): string {
  const hint = unknownKeysHint(
    given.map(({ key }) => key),
    settable,
  );
  const lines = given.map(({ key, source }) => {
    // Own entries only: a key may be "toString", which every object has.
    const meant = Object.hasOwn(suggestions, key)
      ? suggestions[key]
      : Object.hasOwn(hint.suggestions, key)
        ? hint.suggestions[key]
        : undefined;
    const flag = source === '--var';
    const said =
      meant === undefined ? '' : `; did you mean ${flag ? `--var ${meant}=…` : `"${meant}"`}?`;
    const named = flag ? `--var ${key}` : `${source}: "${key}"`;
    return `${named}: ${owner} has no variable "${key}"${said}`;
  });
  const keys =
    hint.listed === undefined ? 'it takes no variable here' : `keys you can set: ${hint.listed}`;
  return `${lines.join('\n')}\n  ${keys}`;
}

/**
 * The usage error for a `VARIABLE_INVALID` the runtime raised for `--var` keys it does not take
 * (`details.unknown`, or `details.reason` `unknown` with `details.key`), worded with
 * {@link unknownVariables} from the error's `settable` and `suggestions`; undefined for any other
 * error (a malformed value, a key that may not change, ...).
 *
 * @example
 * ```ts
 * const usage = unknownVariableRefusal(error, 'endpoint "list-orders"');
 * if (usage !== undefined) { output.stderr.write(`✖ ${usage}\n`); return EXIT_USAGE; }
 * ```
 */
export function unknownVariableRefusal(error: unknown, owner: string): string | undefined {
  if (!SpliceError.is(error, 'VARIABLE_INVALID')) return undefined;
  const details = error.details as Readonly<Record<string, unknown>> & {
    readonly unknown?: readonly string[];
    readonly settable?: readonly string[];
    readonly suggestions?: Readonly<Record<string, string>>;
  };
  const unknown =
    details.unknown ??
    (details['reason'] === 'unknown' && typeof details['key'] === 'string'
      ? [details['key']]
      : undefined);
  if (unknown === undefined || details.settable === undefined) return undefined;
  return unknownVariables(
    unknown.map((key) => ({ key, source: '--var' })),
    owner,
    // The runtime lists the keys a user sets first; which are advanced it does not say.
    details.settable.map((key) => ({ key, advanced: false })),
    details.suggestions,
  );
}

/**
 * The usage error of required variables without a value, in the command line's terms: which
 * keys, what needs them, and how to give each: `--var key=…`, and where the command reads them
 * too (`sources: 'all'`, `splice auth test`) its `SPLICE_VAR_<KEY>` environment variable or a
 * `--var-file` line.
 *
 * @example
 * ```ts
 * missingVariables(['client_id'], 'auth method "acme-oauth" of acme', 'all');
 * // client_id has no value: auth method "acme-oauth" of acme needs it. Give it with
 * // --var client_id=…, SPLICE_VAR_CLIENT_ID=… in the environment, or a --var-file line client_id=…
 * ```
 */
export function missingVariables(
  keys: readonly string[],
  owner: string,
  sources: 'all' | '--var',
): string {
  const one = keys.length === 1;
  const flags = keys.map((key) => `--var ${key}=…`).join(' ');
  const ways =
    sources === '--var'
      ? flags
      : one
        ? `${flags}, ${envName(keys[0]!)}=… in the environment, or a --var-file line ${keys[0]}=…`
        : `${flags}, their environment variables (${keys.map(envName).join(', ')}), or --var-file lines key=…`;
  return `${keys.join(', ')} ${one ? 'has' : 'have'} no value: ${owner} needs ${one ? 'it' : 'them'}. Give ${one ? 'it' : 'them'} with ${ways}`;
}

/**
 * The usage error for a `VARIABLE_MISSING` the runtime raised, worded with
 * {@link missingVariables} from `details.keys`; undefined for any other error.
 *
 * @example
 * ```ts
 * const usage = missingVariableRefusal(error, 'auth method "acme-oauth"', '--var');
 * ```
 */
export function missingVariableRefusal(
  error: unknown,
  owner: string,
  sources: 'all' | '--var',
): string | undefined {
  if (!SpliceError.is(error, 'VARIABLE_MISSING')) return undefined;
  return missingVariables(error.details.keys, owner, sources);
}
