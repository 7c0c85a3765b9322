/**
 * What `JSON.parse` said went wrong and where, without the text it quotes: V8's message quotes the
 * input around the error (`Unexpected token 's', ..."_secret": s3cr3t-val"... is not valid JSON`),
 * and that input may be an API's data, a variables file or a request body holding secrets.
 * Returns e.g. `Unexpected token 's'` or `Unexpected end of JSON input`, at most 80 characters
 * plus `at position N` when the parser gave one.
 *
 * @example
 * ```ts
 * try { JSON.parse('{"client_secret": s3cr3t}'); } catch (error) { jsonParseProblem(error); }
 * // "Unexpected token 's'"
 * ```
 */
export function jsonParseProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const problem = message
    .split('"')[0]!
    .replace(/[,.\s]+$/, '')
    .slice(0, 80);
  const position = /at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(message);
  const where = position === null || problem.includes(position[0]) ? '' : ` ${position[0]}`;
  return `${problem || 'not valid JSON'}${where}`;
}
