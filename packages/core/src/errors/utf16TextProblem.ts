/**
 * Why a text cannot be read, when it is UTF-16 decoded as UTF-8 (how a file Windows PowerShell's
 * `>` wrote reaches a reader that expects UTF-8): its byte order mark (FF FE or FE FF) becomes two
 * U+FFFD, and every ASCII character comes with a NUL, which neither JSON, YAML nor `key=value`
 * lines allow. A quarter of the first 256 characters being NULs is unmistakable. Returns the
 * problem and what to do, to follow the file's name (`what` says what is read as UTF-8), or
 * `undefined` for any other text. The text itself is never quoted.
 *
 * @example
 * ```ts
 * utf16TextProblem(readFileSync(file, 'utf8'), 'a --var-file');
 * // 'is UTF-16 text (read as UTF-8, …), and a --var-file is read as UTF-8: save the file as UTF-8 (…)'
 * ```
 */
export function utf16TextProblem(text: string, what: string): string | undefined {
  const head = text.slice(0, 256);
  let nuls = 0;
  for (let i = 0; i < head.length; i++) if (head.charCodeAt(i) === 0) nuls++;
  // A UTF-16 byte order mark alone (an empty file PowerShell wrote) has no letters to tell by.
  const seen =
    head === '\uFFFD\uFFFD'
      ? 'its UTF-16 byte order mark alone'
      : nuls > 0 && nuls * 4 >= head.length
        ? 'a NUL character comes between its letters'
        : undefined;
  if (seen === undefined) return undefined;
  return `is UTF-16 text (read as UTF-8, ${seen}), and ${what} is read as UTF-8: save the file as UTF-8 (Windows PowerShell's ">" writes UTF-16; "| Out-File -Encoding utf8" writes UTF-8)`;
}
