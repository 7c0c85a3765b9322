/**
 * Formats rows as a box-drawn text table; the first row is the header.
 *
 * @example
 * ```ts
 * formatTable([['Step', 'Time'], ['Start', '12 ms']]);
 * // ┌───────┬───────┐
 * // │ Step  │ Time  │
 * // ├───────┼───────┤
 * // │ Start │ 12 ms │
 * // └───────┴───────┘
 * ```
 */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(...rows.map((row) => [...(row[column] ?? '')].length)),
  );
  const rule = (left: string, middle: string, right: string): string =>
    `${left}${widths.map((width) => '─'.repeat(width + 2)).join(middle)}${right}`;
  const line = (row: readonly string[]): string =>
    `│${widths.map((width, column) => ` ${(row[column] ?? '').padEnd(width)} `).join('│')}│`;
  const [header, ...body] = rows;
  return [
    rule('┌', '┬', '┐'),
    ...(header === undefined ? [] : [line(header), rule('├', '┼', '┤')]),
    ...body.map(line),
    rule('└', '┴', '┘'),
  ].join('\n');
}
