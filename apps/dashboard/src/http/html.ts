const kSafe = Symbol('splice.dashboard.safeHtml');

/**
 * Markup that is already escaped; only {@link html} and {@link rawHtml} make it.
 *
 * @example
 * ```ts
 * const cell: SafeHtml = html`<td>${value}</td>`;
 * ```
 */
export interface SafeHtml {
  readonly [kSafe]: true;
  readonly value: string;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

function escapeText(text: string): string {
  return text.replace(/[&<>"'`]/g, (char) => ESCAPES[char] ?? char);
}

function render(value: unknown): string {
  if (value === undefined || value === null || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object' && kSafe in value) return (value as SafeHtml).value;
  return escapeText(String(value));
}

/**
 * A tagged template that escapes every interpolated value for HTML text and quoted attributes,
 * except nested `html` fragments. Arrays are joined; `undefined`, `null` and `false` render as
 * nothing. Every page of the dashboard is built with it, so no value reaches the page unescaped.
 *
 * @example
 * ```ts
 * html`<p title="${name}">${name}</p>`.value; // name "<b>" → &lt;b&gt;
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return { [kSafe]: true, value: out };
}

/**
 * Marks trusted, constant markup as safe. Never pass user or provider data.
 *
 * @example
 * ```ts
 * rawHtml('&nbsp;');
 * ```
 */
export function rawHtml(markup: string): SafeHtml {
  return { [kSafe]: true, value: markup };
}
