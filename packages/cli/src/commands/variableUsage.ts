import { nearestName, SpliceError } from '@splice/core';

/** A variable key as the user gave it: the key and where (`--var`, `--var-file secrets.env`). */
export interface GivenKey {
  readonly key: string;
  /** `--var`, or `--var-file <name>` (`--var-file standard input`). */
  readonly source: string;
}

/**
 * The usage error of variable keys a command does not take (a misspelt `--var clientid=…`), in
 * the command line's terms: each key with the flag it came from and the settable key it most
 * likely meant (core's `nearestName`, or `suggestions` already found), then every key that can
 * be set. Only keys are named, never a value.
 *
 * @example
 * ```ts
 * unknownVariables([{ key: 'clientid', source: '--var' }], 'auth method "acme-oauth"', ['client_id']);
 * // --var clientid: auth method "acme-oauth" has no variable "clientid"; did you mean --var client_id=…?
 * // keys you can set: client_id
 * ```
 */
export function unknownVariables(
  given: readonly GivenKey[],
  owner: string,
  settable: readonly string[],
  suggestions: Readonly<Record<string, string>> = {},
): string {
  const lines = given.map(({ key, source }) => {
    const meant = suggestions[key] ?? nearestName(key, settable);
    const flag = source === '--var';
    const hint =
      meant === undefined ? '' : `; did you mean ${flag ? `--var ${meant}=…` : `"${meant}"`}?`;
    const named = flag ? `--var ${key}` : `${source}: "${key}"`;
    return `${named}: ${owner} has no variable "${key}"${hint}`;
  });
  const keys =
    settable.length === 0
      ? 'it takes no variable here'
      : `keys you can set: ${settable.join(', ')}`;
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
    details.settable,
    details.suggestions,
  );
}
