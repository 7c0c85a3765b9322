// V8 shows at most this many characters either side of an unexpected token.
const CONTEXT = 10;

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

// At most this many places are tried for an unexpected token whose surroundings recur.
const MAX_CANDIDATES = 16;

// Whether JSON.parse reads all of `prefix` without an error before its end: `offset` is where
// parsing stopped only if the text up to it reads through and one more character does not.
function readsThrough(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (message === 'Unexpected end of JSON input') return true;
    const at = /at position (\d+)/.exec(message);
    return at !== null && Number(at[1]) >= prefix.length;
  }
}

const stopsAt = (text: string, offset: number): boolean =>
  readsThrough(text.slice(0, offset)) && !readsThrough(text.slice(0, offset + 1));

// V8 names no position for an unexpected token, only the text around it (at most CONTEXT
// characters either side, `...` where it cut): the token is where that text sits in `text`. The
// same characters may sit earlier too (inside a string, or a valid "]" before the stray one), so
// the token is the first of those places where parsing stops.
function tokenOffset(message: string, text: string): number | undefined {
  const match = /^Unexpected token '(.)', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(
    message,
  );
  if (match === null) return undefined;
  const [, token, cutBefore, around = '', cutAfter] = match;
  // Cut only after: the text from its start; only before: its end. Both places are known.
  if (cutBefore === undefined && cutAfter !== undefined) return around.length - CONTEXT;
  if (cutBefore !== undefined && cutAfter === undefined)
    return text.length - around.length + CONTEXT;
  // Cut on both sides, or the whole text shown: the place is one of the occurrences.
  const needle = cutBefore === undefined ? token! : around;
  const shift = cutBefore === undefined ? 0 : CONTEXT;
  let at = text.indexOf(needle);
  for (let tried = 0; at !== -1 && tried < MAX_CANDIDATES; tried++) {
    if (stopsAt(text, at + shift)) return at + shift;
    at = text.indexOf(needle, at + 1);
  }
  return undefined;
}

/**
 * Where in `text` `JSON.parse` failed, as `{ line, column }` (both from 1), or undefined when
 * the error does not say (`Unexpected end of JSON input`). Reads V8's `(line L column C)` where the message
 * has it (newer V8), else counts lines up to its `at position N` (Node 20), else places an
 * `Unexpected token` from the text V8 quotes around it. Only numbers come back: nothing of the
 * text, which may hold secrets.
 *
 * @example
 * ```ts
 * try { JSON.parse('{\n  "a": 1,,\n}'); } catch (error) { jsonParsePosition(error, text); }
 * // { line: 2, column: 10 }
 * ```
 */
export function jsonParsePosition(
  error: unknown,
  text: string,
): { line: number; column: number } | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const given = /at position \d+ \(line (\d+) column (\d+)\)$/.exec(message);
  if (given !== null) return { line: Number(given[1]), column: Number(given[2]) };
  const position = /at position (\d+)$/.exec(message);
  const offset = position === null ? tokenOffset(message, text) : Number(position[1]);
  // The end of the input (`text.length`) is a place too: just after the last character.
  if (offset === undefined || offset < 0 || offset > text.length) return undefined;
  return lineAndColumn(text, offset);
}
