import { readFile } from 'node:fs/promises';
import {
  invalidArgument,
  jsonParseProblem,
  nearestName,
  utf16TextProblem,
  type VariableDefinition,
} from '@splice/core';
import type { Output } from './Output.js';
import { type GivenKey, unknownVariables } from './variableUsage.js';

/** Where `splice` reads variable values from, lowest precedence first. */
export interface VariableSources {
  /**
   * The variables the command takes (the definition's): their keys are read from the environment
   * and are the only keys a file or flag may set; a refusal lists those not `advanced` first.
   */
  readonly variables: readonly Pick<VariableDefinition, 'key' | 'advanced'>[];
  /** What the keys belong to, for messages: `auth method "acme-oauth" of connector "acme"`. */
  readonly owner?: string;
  /** `process.env` or a test's own. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `--var-file`: a path, or `-` for standard input. */
  readonly file?: string;
  /** `--var key=value` flags. */
  readonly flags?: Readonly<Record<string, string>>;
}

const ENV_PREFIX = 'SPLICE_VAR_';

/**
 * The environment variable that holds a definition variable's value: `SPLICE_VAR_` and the key in
 * upper case with `.` and `-` as `_` (`client_secret` → `SPLICE_VAR_CLIENT_SECRET`).
 *
 * @example
 * ```ts
 * envName('client_secret'); // 'SPLICE_VAR_CLIENT_SECRET'
 * ```
 */
export function envName(key: string): string {
  return `${ENV_PREFIX}${key.toUpperCase().replace(/[.-]/g, '_')}`;
}

// `key=value` lines (blank lines and `#` comments skipped, the value taken as is up to the end of
// the line), or one JSON object of strings.
function parseVarFile(text: string, name: string): Record<string, string> {
  const utf16 = utf16TextProblem(text, 'a --var-file');
  if (utf16 !== undefined) throw invalidArgument(`${name} ${utf16}`);
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw invalidArgument(`${name} is not valid JSON: ${jsonParseProblem(error)}`);
    }
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw invalidArgument(`${name}: "${key}" must be a string, number or boolean`);
      }
      out[key] = String(value);
    }
    return out;
  }
  const out: Record<string, string> = {};
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      // The line is not shown: it may hold a secret.
      throw invalidArgument(`${name} line ${index + 1} is not key=value`);
    }
    out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return out;
}

// A SPLICE_VAR_ name no key maps to is ignored: the environment may hold values for other
// connectors. One near a key's (`SPLICE_VAR_CLIENTID`, `SPLICE_VAR_client_id` for `client_id`)
// is most likely a typo, and a silent one (the command then runs without the value): it gets a
// warning naming both names, never the value.
function warnNearMisses(sources: VariableSources, keys: readonly string[], output: Output): void {
  const read = new Set(keys.map(envName));
  for (const name of Object.keys(sources.env ?? {})) {
    if (!name.startsWith(ENV_PREFIX) || read.has(name)) continue;
    const rest = name.slice(ENV_PREFIX.length);
    // `SPLICE_VAR_client_id`: the key itself, in the case the environment name does not use.
    const meant = keys.includes(rest) ? rest : nearestName(rest, keys);
    if (meant === undefined) continue;
    output.stderr.write(
      `! ${name} is not read: ${sources.owner ?? 'the definition'} has no variable of that name; did you mean ${envName(meant)} (${meant})?\n`,
    );
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Variable values for a command, so secrets need not be typed on the command line (where shell
 * history and `ps` see them): `SPLICE_VAR_<KEY>` environment variables for the keys the
 * definition declares ({@link envName}; a `SPLICE_VAR_` name near one of them but not it, such as
 * `SPLICE_VAR_CLIENTID` for `client_id`, gets a warning on standard error), then a `--var-file` (`key=value` lines or a JSON object;
 * `-` reads standard input), then `--var key=value` flags; a later source wins. Throws a coded
 * `INVALID_ARGUMENT` TypeError (a usage error) for an unreadable or malformed file (its content is
 * never shown), and for file or flag keys that are not among `variables`, each with the flag it came
 * from and a did-you-mean (values are never shown).
 *
 * @example
 * ```ts
 * // SPLICE_VAR_CLIENT_SECRET=… splice auth test acme.yaml -m acme-oauth --var client_id=abc
 * const values = await readVariables({ variables: method.variables, env: process.env,
 *   flags: { client_id: 'abc' } }, output);
 * ```
 */
export async function readVariables(
  sources: VariableSources,
  output: Output,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const given: GivenKey[] = [];
  const env = sources.env ?? {};
  const keys = sources.variables.map(({ key }) => key);
  for (const key of keys) {
    const value = env[envName(key)];
    if (value !== undefined) values[key] = value;
  }
  warnNearMisses(sources, keys, output);
  if (sources.file !== undefined) {
    const name = sources.file === '-' ? 'standard input' : sources.file;
    let text: string;
    try {
      text =
        sources.file === '-'
          ? await readStream(output.stdin ?? process.stdin)
          : await readFile(sources.file, 'utf8');
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw invalidArgument(
        `--var-file ${name} cannot be read${code === 'ENOENT' ? ': no such file' : code === undefined ? '' : ` (${code})`}`,
      );
    }
    const read = parseVarFile(text, `--var-file ${name}`);
    for (const key of Object.keys(read)) given.push({ key, source: `--var-file ${name}` });
    Object.assign(values, read);
  }
  for (const key of Object.keys(sources.flags ?? {})) given.push({ key, source: '--var' });
  Object.assign(values, sources.flags ?? {});
  const unknown = given.filter(({ key }) => !keys.includes(key));
  if (unknown.length > 0) {
    throw invalidArgument(
      unknownVariables(unknown, sources.owner ?? 'the definition', sources.variables),
    );
  }
  return values;
}
