import { invalidArgument } from '../errors/invalidArgument.js';
import { SpliceError } from '../errors/SpliceError.js';
import { isLoopbackHost } from './isLoopbackHost.js';
import type { OriginPatterns } from './originPatterns.js';

/**
 * Values a template reads; first the caller merges its layers (input → saved → defaults).
 *
 * @example
 * ```ts
 * const values: TemplateValues = resolveValues(variables, input, instance.variables);
 * ```
 */
export type TemplateValues = Readonly<Record<string, string | undefined>>;

/**
 * Where a rendered value lands, which decides its encoding and checks: `header` values may hold no
 * control character but HTAB and nothing above U+00FF ({@link HEADER_VALUE_UNSAFE_PATTERN});
 * `text`, `body` and `query` values are inserted raw (the request builder encodes).
 *
 * @example
 * ```ts
 * const target: TemplateTarget = 'header';
 * ```
 */
export type TemplateTarget = 'text' | 'header' | 'query' | 'body';

/**
 * A compiled template: parse once, render many.
 *
 * @example
 * ```ts
 * const t: Template = compileUrlTemplate('https://a.example/{{id}}', 'endpoints[0].url');
 * t.keys; // ['id']
 * ```
 */
export interface Template {
  readonly source: string;
  /** The name used in error messages, e.g. `endpoints[0].url`. */
  readonly name: string;
  /** Keys referenced, in order of first appearance. */
  readonly keys: readonly string[];
  /**
   * For a URL template whose host is fully literal: the origin (`scheme://host[:port]`) every
   * rendering has. Undefined for non-URL templates and for hosts with placeholder labels.
   */
  readonly origin?: string;
  /**
   * For a URL template: the keys of the placeholders in its host, in order (empty for a literal
   * host), or the captured origin it begins with. Their values choose the origin of every request made from it, so the runtime never
   * lets a call set them (SPEC §3). Undefined for non-URL templates.
   */
  readonly hostKeys?: readonly string[];
  /**
   * Renders with `values`; throws `TEMPLATE_UNRESOLVED` / `TEMPLATE_UNSAFE_VALUE`. A template
   * without placeholders returns its source.
   */
  render(values: TemplateValues): string;
}

/**
 * The characters a placeholder key may use (variable keys are a subset of these).
 *
 * @example
 * ```ts
 * TEMPLATE_KEY_PATTERN.test('store_name'); // true
 * ```
 */
export const TEMPLATE_KEY_PATTERN = /^[A-Za-z0-9_.-]+$/;

/**
 * Matches a character a header value may not hold: every control character except HTAB (C0,
 * DEL and C1) and anything above U+00FF. RFC 9110 §5.5 allows only VCHAR, SP, HTAB and obs-text
 * in a field value; CR/LF would split the request, and undici refuses the rest only after the
 * request was retried. C1 controls (U+0080–U+009F) are obs-text to HTTP but never legitimate text.
 *
 * @example
 * ```ts
 * HEADER_VALUE_UNSAFE_PATTERN.test('Bearer abc'); // false
 * HEADER_VALUE_UNSAFE_PATTERN.test('a\u0007b'); // true
 * ```
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const HEADER_VALUE_UNSAFE_PATTERN = /[\0-\x08\n-\x1f\x7f-\x9f\u0100-\uffff]/;

// How a placeholder's value is checked and encoded, decided once at compile time.
const RAW = 0; // text, body, query-tab values: the caller encodes for the final medium
const HEADER = 1; // HEADER_VALUE_UNSAFE_PATTERN: a line break would split the request
const COMPONENT = 2; // URL path, query and fragment: percent-encoded, so no delimiter survives
const HOST_LABEL = 3; // a whole DNS label, nothing else
const ORIGIN = 4; // a whole origin, only one the method's origin patterns allow
type Kind = typeof RAW | typeof HEADER | typeof COMPONENT | typeof HOST_LABEL | typeof ORIGIN;

const DNS_LABEL = /^[A-Za-z0-9-]{1,63}$/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/** A value transform of a placeholder (`{{account | lower}}`), applied before encoding. */
type Filter = (value: string) => string;

/**
 * The template filters and how many arguments each takes: a small fixed set, no expressions and
 * no code. Arguments are double-quoted strings (`\"` and `\\` escape inside them) and may not
 * hold `}}`.
 *
 * - `lower`, `upper`: case (locale-independent)
 * - `trim`: leading and trailing whitespace removed
 * - `replace:"from":"to"`: every `from` replaced by `to` (`from` non-empty)
 *
 * @example
 * ```ts
 * compileUrlTemplate('https://{{account | lower | replace:"_":"-"}}.suitetalk.api.netsuite.com/x')
 *   .render({ account: '1234567_SB1' }); // 'https://1234567-sb1.suitetalk.api.netsuite.com/x'
 * ```
 */
export const TEMPLATE_FILTERS: Readonly<Record<string, number>> = Object.freeze({
  lower: 0,
  upper: 0,
  trim: 0,
  replace: 2,
});

function makeFilter(name: string, args: readonly string[]): Filter {
  switch (name) {
    case 'lower':
      return (value) => value.toLowerCase();
    case 'upper':
      return (value) => value.toUpperCase();
    case 'trim':
      return (value) => value.trim();
    default: {
      const [from, to] = args as [string, string];
      return (value) => value.replaceAll(from, to);
    }
  }
}

interface Parsed {
  /** `literals.length === slots.length + 1`; literal i precedes slot i. */
  readonly literals: string[];
  readonly slots: string[];
  /** The filters of each slot, composed; undefined for a slot without any. */
  readonly filters: (Filter | undefined)[];
}

// The source is left out of the error on purpose: a definition may (wrongly) hold a secret.
function compileError(name: string, problem: string): SpliceError {
  return new SpliceError('CONNECTOR_INVALID', `Template ${name} ${problem}.`, {
    details: { template: name, issues: [{ path: name, message: problem }] },
  });
}

// Reads `"…"` at `from`; returns the text and the index after the closing quote.
function quoted(text: string, from: number): [string, number] | undefined {
  if (text[from] !== '"') return undefined;
  let out = '';
  for (let i = from + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) out += text[++i];
    else if (ch === '"') return [out, i + 1];
    else out += ch;
  }
  return undefined;
}

// The filters after a placeholder's key: `| name` or `| name:"arg":"arg"`, from the fixed set.
function parseFilters(text: string, at: number, name: string): Filter | undefined {
  const filters: Filter[] = [];
  let i = 0;
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  for (;;) {
    skip();
    if (i >= text.length) break;
    if (text[i] !== '|') {
      throw compileError(
        name,
        `has unexpected text after the key of the placeholder at character ${at}: filters follow "|"`,
      );
    }
    i++;
    skip();
    const start = i;
    while (i < text.length && /[a-z]/i.test(text[i]!)) i++;
    const filter = text.slice(start, i);
    const arity = Object.hasOwn(TEMPLATE_FILTERS, filter) ? TEMPLATE_FILTERS[filter] : undefined;
    if (arity === undefined) {
      throw compileError(
        name,
        `has an unknown filter ${filter === '' ? '(nothing after "|")' : `"${filter}"`} in the placeholder at character ${at}: the filters are ${Object.keys(TEMPLATE_FILTERS).join(', ')}`,
      );
    }
    const args: string[] = [];
    for (;;) {
      skip();
      if (text[i] !== ':') break;
      i++;
      skip();
      const arg = quoted(text, i);
      if (arg === undefined) {
        throw compileError(
          name,
          `has a filter argument in the placeholder at character ${at} that is not a double-quoted string`,
        );
      }
      args.push(arg[0]);
      i = arg[1];
    }
    if (args.length !== arity) {
      throw compileError(
        name,
        `gives the filter "${filter}" ${args.length} argument(s) in the placeholder at character ${at}; it takes ${arity}${filter === 'replace' ? ' (replace:"from":"to")' : ''}`,
      );
    }
    if (filter === 'replace' && args[0] === '') {
      throw compileError(name, `has replace with an empty "from" at character ${at}`);
    }
    filters.push(makeFilter(filter, args));
  }
  if (filters.length <= 1) return filters[0];
  return (value) => {
    for (const filter of filters) value = filter(value);
    return value;
  };
}

// Splits `source` into literal text and `{{ key | filter }}` placeholders. Every `{{` opens a
// placeholder: an unclosed one or one with a malformed key is a definition error, never silently
// literal text.
function parse(source: string, name: string): Parsed {
  const literals: string[] = [];
  const slots: string[] = [];
  const filters: (Filter | undefined)[] = [];
  let from = 0;
  for (;;) {
    const open = source.indexOf('{{', from);
    if (open === -1) break;
    const close = source.indexOf('}}', open + 2);
    if (close === -1) {
      throw compileError(name, `has an unclosed "{{" at character ${open}`);
    }
    const inner = source.slice(open + 2, close);
    const head = /^\s*([^\s|]*)/.exec(inner)!;
    const key = head[1]!;
    if (!TEMPLATE_KEY_PATTERN.test(key)) {
      throw compileError(
        name,
        `has a placeholder with an invalid key at character ${open}: keys use letters, digits, "_", "." and "-"`,
      );
    }
    literals.push(source.slice(from, open));
    slots.push(key);
    filters.push(parseFilters(inner.slice(head[0].length), open, name));
    from = close + 2;
  }
  literals.push(source.slice(from));
  return { literals, slots, filters };
}

function unresolved(name: string, keys: readonly string[], values: TemplateValues): SpliceError {
  const missing = keys.filter((k) => typeof values[k] !== 'string');
  const list = missing.map((k) => `"${k}"`).join(', ');
  return new SpliceError(
    'TEMPLATE_UNRESOLVED',
    `Template ${name} needs ${list} but no value is set for ${missing.length === 1 ? 'it' : 'them'}: pass ${missing.length === 1 ? 'it' : 'them'} in the call's variables, save ${missing.length === 1 ? 'it' : 'them'} on the instance, or give a default in the definition.`,
    { details: { key: missing[0]!, keys: missing, template: name } },
  );
}

// The value's text is never part of the message or details: it may be a secret.
function unsafe(name: string, key: string, problem: string): SpliceError {
  return new SpliceError('TEMPLATE_UNSAFE_VALUE', `The value of "${key}" in ${name} ${problem}.`, {
    details: { key, template: name },
  });
}

// What a host label refused: the kind of character (never the value, which may be secret), and
// the form that would be accepted.
function hostLabelProblem(value: string): string {
  const accepted =
    'a host label must be 1-63 letters, digits or "-" (e.g. "acme-eu"); enter the value in that form, or have the definition transform it (e.g. {{account | lower | replace:"_":"-"}})';
  if (value === '') return `is empty: ${accepted}`;
  if (value.length > 63) return `is longer than 63 characters: ${accepted}`;
  // Only ASCII punctuation and space are named: never a letter or digit of the value.
  const refused = [...new Set(value.replace(/[A-Za-z0-9-]/g, ''))];
  const shown = refused.filter((ch) => /[!-/:-@[-`{-~ ]/.test(ch)).slice(0, 5);
  const which =
    shown.length === 0
      ? 'characters other than letters, digits and "-"'
      : `${shown.map((ch) => JSON.stringify(ch)).join(', ')}${refused.length > shown.length ? ' and other characters' : ''}`;
  return `holds ${which}, which a host name may not hold: ${accepted}`;
}

function encode(
  kind: Kind,
  value: string,
  key: string,
  name: string,
  origins: OriginPatterns | undefined,
): string {
  switch (kind) {
    case COMPONENT:
      try {
        return encodeURIComponent(value);
      } catch {
        // URIError: a lone UTF-16 surrogate cannot be percent-encoded as UTF-8.
        throw unsafe(name, key, 'is not well-formed Unicode (it holds a lone surrogate)');
      }
    case HOST_LABEL:
      if (!DNS_LABEL.test(value)) throw unsafe(name, key, hostLabelProblem(value));
      return value;
    case ORIGIN: {
      const origin = origins?.match(value);
      if (origin === undefined) {
        throw unsafe(
          name,
          key,
          `is not an origin the auth method allows (${origins?.patterns.join(', ') ?? 'none'}): only "scheme://host[:port]" matching one of them may begin the URL`,
        );
      }
      return origin;
    }
    case HEADER:
      // One precompiled test on the hot path; the value itself is never part of the error.
      if (HEADER_VALUE_UNSAFE_PATTERN.test(value)) {
        throw unsafe(
          name,
          key,
          'holds a control character (other than tab) or a character above U+00FF, which a header value may not hold',
        );
      }
      return value;
    default:
      return value;
  }
}

/** A path segment made only of placeholders (`first`..`last`) and literal dots. */
interface DotSegment {
  readonly first: number;
  readonly last: number;
  readonly prefix: string;
  readonly suffix: string;
}

interface Plan {
  readonly source: string;
  readonly name: string;
  readonly literals: readonly string[];
  readonly slots: readonly string[];
  readonly kinds: readonly Kind[];
  /** Each slot's filters, applied before encoding. */
  readonly filters: readonly (Filter | undefined)[];
  /** The allowed origins of an `ORIGIN` slot (the first one only). */
  readonly origins?: OriginPatterns;
  /** Path segments made only of placeholders and dots: they must not render as `.` or `..`. */
  readonly dotSegments: readonly DotSegment[];
  /** A URL template with host placeholders: each rendering must parse as a URL (WHATWG). */
  readonly hostSlots?: boolean;
}

// A DNS label may still be a host the WHATWG URL parser refuses: an "xn--" label that is not valid
// punycode (UTS #46 §4 via URL Standard "domain to ASCII"), or a last label that reads as a number
// (URL Standard "ends in a number", then an invalid IPv4 address). Which value did it: the first
// host placeholder whose value alone, the others replaced by a harmless sample, makes the URL fail.
function hostFailure(plan: Plan, values: TemplateValues): SpliceError {
  const { name, literals, slots, kinds, filters } = plan;
  let culprit: string | undefined;
  for (let i = 0; i < slots.length && culprit === undefined; i++) {
    if (kinds[i] !== HOST_LABEL) continue;
    const value = values[slots[i]!] ?? 'x';
    const filtered = filters[i] === undefined ? value : filters[i]!(value);
    let probe = literals[0]!;
    for (let j = 0; j < slots.length; j++) {
      probe += (j === i ? filtered : 'x') + literals[j + 1]!;
    }
    if (!URL.canParse(probe)) culprit = slots[i]!;
  }
  const key = culprit ?? slots[kinds.indexOf(HOST_LABEL)]!;
  return unsafe(
    name,
    key,
    'is not a host label the URL parser accepts (an "xn--" label must be valid punycode, and a last label may not read as a number)',
  );
}

function build(
  plan: Plan,
  keys: readonly string[],
  origin: string | undefined,
  hostKeys?: readonly string[],
): Template {
  const { source, name, literals, slots, kinds, filters, origins, dotSegments } = plan;
  const count = slots.length;
  const checkUrl = plan.hostSlots === true;
  const base: Omit<Template, 'render'> = {
    source,
    name,
    keys,
    ...(origin === undefined ? {} : { origin }),
    ...(hostKeys === undefined ? {} : { hostKeys: Object.freeze([...hostKeys]) }),
  };
  if (count === 0) return Object.freeze({ ...base, render: () => source });
  const head = literals[0]!;
  let render: (values: TemplateValues) => string;
  if (dotSegments.length === 0) {
    // The hot path: one lookup, one check or encode and two concatenations per placeholder.
    render = (values) => {
      let out = head;
      for (let i = 0; i < count; i++) {
        const key = slots[i]!;
        const value = values[key];
        if (typeof value !== 'string') throw unresolved(name, keys, values);
        const filter = filters[i];
        out +=
          encode(kinds[i]!, filter === undefined ? value : filter(value), key, name, origins) +
          literals[i + 1]!;
      }
      if (checkUrl && !URL.canParse(out)) throw hostFailure(plan, values);
      return out;
    };
  } else {
    render = (values) => {
      const encoded: string[] = [];
      for (let i = 0; i < count; i++) {
        const key = slots[i]!;
        const value = values[key];
        if (typeof value !== 'string') throw unresolved(name, keys, values);
        const filter = filters[i];
        encoded.push(
          encode(kinds[i]!, filter === undefined ? value : filter(value), key, name, origins),
        );
      }
      // RFC 3986 §5.2.4 / WHATWG URL: a "." or ".." segment is removed or climbs a level, so a
      // value could otherwise reach another path of the same API.
      for (const { first, last, prefix, suffix } of dotSegments) {
        let segment = prefix;
        for (let i = first; i <= last; i++) {
          segment += (i === first ? '' : literals[i]!) + encoded[i]!;
        }
        if (DOT_SEGMENT.test(segment + suffix)) {
          throw unsafe(name, slots[first]!, 'makes a path segment "." or ".." (path traversal)');
        }
      }
      let out = head;
      for (let i = 0; i < count; i++) out += encoded[i]! + literals[i + 1]!;
      if (checkUrl && !URL.canParse(out)) throw hostFailure(plan, values);
      return out;
    };
  }
  return Object.freeze({ ...base, render });
}

function uniqueKeys(slots: readonly string[]): string[] {
  return [...new Set(slots)];
}

function checkSource(source: unknown, name: unknown): asserts source is string {
  if (typeof source !== 'string') {
    throw invalidArgument(
      `Template ${String(name)}: "source" must be a string, got ${typeof source}`,
    );
  }
}

/**
 * Compiles a non-URL template (`{{ key }}`, whitespace allowed inside the braces). Values are
 * inserted as they are, except that a `header` value may hold no CR, LF or NUL (a literal line
 * break in a header template is a compile error). Values for the `query` target are inserted raw:
 * the code that builds the URL encodes them as query values. Compile errors throw
 * `CONNECTOR_INVALID` with `details.issues`.
 *
 * @example
 * ```ts
 * compileTemplate('Bearer {{access_token}}', 'header', 'apply.headers.Authorization')
 *   .render({ access_token: 't' }); // 'Bearer t'
 * ```
 */
export function compileTemplate(
  source: string,
  target: TemplateTarget,
  name = 'template',
): Template {
  checkSource(source, name);
  return compileText(source, target, name);
}

function compileText(source: string, target: TemplateTarget, name: string): Template {
  const { literals, slots, filters } = parse(source, name);
  if (target === 'header' && literals.some((l) => HEADER_VALUE_UNSAFE_PATTERN.test(l))) {
    throw compileError(
      name,
      'holds a line break, another control character (other than tab) or a character above U+00FF, which a header value may not hold',
    );
  }
  const kind: Kind = target === 'header' ? HEADER : RAW;
  const plan: Plan = {
    source,
    name,
    literals,
    slots,
    kinds: slots.map(() => kind),
    filters,
    dotSegments: [],
  };
  return build(plan, uniqueKeys(slots), undefined);
}

const SCHEME = /^(https?):\/\//i;

/**
 * Compiles a URL template. The template is analysed once: each placeholder's position (host
 * label, path, query, fragment) decides how its value is encoded, so rendering is a plain
 * concatenation. Values are encoded for where they land (path, query and fragment values with
 * `encodeURIComponent`; host placeholders only as whole DNS labels that the WHATWG URL parser
 * accepts, checked on the rendered URL, so every rendering parses); no value can change the
 * scheme, host, port or add userinfo, and `https:` is required except for loopback hosts.
 *
 * Compile errors: `CONNECTOR_INVALID` (malformed placeholder, placeholder in the scheme, port or a
 * partial host label, userinfo, not a URL) and `INSECURE_URL` (not `https:` and not loopback).
 *
 * @example
 * ```ts
 * compileUrlTemplate('https://api.acme.example/{{account}}/orders', 'endpoints[0].url')
 *   .render({ account: 'a b' }); // 'https://api.acme.example/a%20b/orders'
 * ```
 */
export function compileUrlTemplate(
  source: string,
  name = 'url',
  options: UrlTemplateOptions = {},
): Template {
  checkSource(source, name);
  return compileUrl(source, name, options);
}

/**
 * Options of {@link compileUrlTemplate}.
 *
 * @example
 * ```ts
 * const options: UrlTemplateOptions = {
 *   origins: { instance_url: compileOriginPatterns(['https://*.my.salesforce.com']) },
 * };
 * compileUrlTemplate('{{instance_url}}/services/data/v59.0/query', 'endpoints[0].url', options);
 * ```
 */
export interface UrlTemplateOptions {
  /**
   * Keys whose value may be the whole origin a URL template begins with (`{{instance_url}}/…`),
   * each with the origins it may name: a value no pattern allows is `TEMPLATE_UNSAFE_VALUE` and
   * never becomes an origin. Without an entry, a URL must start with a literal scheme and host.
   */
  readonly origins?: Readonly<Record<string, OriginPatterns>>;
}

// A stand-in origin for analysing the rest of a template that begins with an origin placeholder.
const ORIGIN_PROBE = 'https://origin.invalid';

function compileUrl(source: string, name: string, options: UrlTemplateOptions): Template {
  const { literals, slots, filters } = parse(source, name);
  if (literals[0] !== '' || slots.length === 0) {
    const { kinds, dotSegments, origin, hostSlots, hostKeys } = analyzeUrl(literals, slots, name);
    const plan: Plan = { source, name, literals, slots, kinds, filters, dotSegments, hostSlots };
    return build(plan, uniqueKeys(slots), origin, hostKeys);
  }
  // The template begins with a placeholder: allowed only as a whole origin from the given keys.
  const key = slots[0]!;
  const origins =
    options.origins !== undefined && Object.hasOwn(options.origins, key)
      ? options.origins[key]
      : undefined;
  if (origins === undefined) {
    throw compileError(
      name,
      `must start with a literal "https://" (a placeholder may begin the URL only when the auth method captures "${key}" with allowed "origins")`,
    );
  }
  if (filters[0] !== undefined) {
    throw compileError(name, `may not transform the origin placeholder "{{${key}}}"`);
  }
  const rest = literals[1]!;
  if (!/^[/?#]/.test(rest) && !(rest === '' && slots.length === 1)) {
    throw compileError(
      name,
      `must continue with "/", "?" or "#" after the origin placeholder "{{${key}}}"`,
    );
  }
  const inner = analyzeUrl([ORIGIN_PROBE + rest, ...literals.slice(2)], slots.slice(1), name);
  const plan: Plan = {
    source,
    name,
    literals,
    slots,
    kinds: [ORIGIN, ...inner.kinds],
    filters,
    origins,
    dotSegments: inner.dotSegments.map((d) => ({ ...d, first: d.first + 1, last: d.last + 1 })),
  };
  // The origin key chooses the origin of every request: a host key like the others.
  return build(plan, uniqueKeys(slots), undefined, [key]);
}

interface UrlAnalysis {
  readonly kinds: Kind[];
  readonly dotSegments: DotSegment[];
  /** The origin of every rendering, when the host is literal. */
  readonly origin: string | undefined;
  /** Whether the host has placeholders (each rendering is then parsed as a URL). */
  readonly hostSlots: boolean;
  /** The keys of the host's placeholders. */
  readonly hostKeys: readonly string[];
}

function analyzeUrl(
  literals: readonly string[],
  slots: readonly string[],
  name: string,
): UrlAnalysis {
  const fail = (problem: string): SpliceError => compileError(name, problem);

  const scheme = SCHEME.exec(literals[0]!);
  if (scheme === null) {
    throw fail(
      literals.length > 1 && !literals[0]!.includes('://')
        ? 'must start with a literal "https://" (a placeholder may not be the scheme)'
        : 'must be an absolute "https://" URL',
    );
  }

  // Walk the literals, tracking which URL part each placeholder lands in. The authority ends at
  // the first "/", "?", "#" (or "\\", which WHATWG URL reads as "/") of the literal text: values
  // cannot add one there because host values are restricted to DNS labels.
  type Part = 'authority' | 'path' | 'query' | 'fragment';
  let part: Part = 'authority';
  const kinds: Kind[] = [];
  const authority: (string | number)[] = []; // literal text and slot indexes
  const segments: { first: number; last: number; literal: string }[] = [];
  let segment: { first: number; last: number; literal: string } | undefined;
  for (let i = 0; i < literals.length; i++) {
    const text = i === 0 ? literals[0]!.slice(scheme[0].length) : literals[i]!;
    for (const ch of text) {
      if (part === 'authority') {
        if (ch === '/' || ch === '\\' || ch === '?' || ch === '#') {
          part = ch === '?' ? 'query' : ch === '#' ? 'fragment' : 'path';
        } else authority.push(ch);
      } else if (part === 'path') {
        if (ch === '?') part = 'query';
        else if (ch === '#') part = 'fragment';
        else if (ch === '/' || ch === '\\') segment = undefined;
        else if (segment !== undefined) segment.literal += ch;
      } else if (part === 'query' && ch === '#') part = 'fragment';
      if (part !== 'path') segment = undefined;
    }
    if (i === literals.length - 1) break;
    // Slot i follows literal i.
    if (part === 'authority') {
      authority.push(i);
      kinds.push(HOST_LABEL);
    } else {
      kinds.push(COMPONENT);
      if (part === 'path') {
        if (segment === undefined) {
          segment = { first: i, last: i, literal: '' };
          segments.push(segment);
        } else segment.last = i;
        // Literal text before the first slot of a segment belongs to the segment too.
        if (segment.first === i) {
          const before = literals[i]!;
          const cut = Math.max(before.lastIndexOf('/'), before.lastIndexOf('\\'));
          segment.literal = before.slice(cut + 1);
        }
      }
    }
  }

  // Authority: no userinfo, a literal port, host placeholders only as whole labels.
  if (authority.some((t) => t === '@')) {
    throw fail('may not hold userinfo ("user@host"): put credentials in variables and apply');
  }
  let hostEnd = authority.length;
  if (authority[0] !== '[') {
    const colon = authority.indexOf(':');
    if (colon !== -1) hostEnd = colon;
  } else {
    const bracket = authority.indexOf(']');
    if (bracket !== -1) hostEnd = bracket + 1;
  }
  if (authority.slice(hostEnd).some((t) => typeof t === 'number')) {
    throw fail('has a placeholder in the port: the port must be literal');
  }
  const host = authority.slice(0, hostEnd);
  let literalLabel = false;
  let label: (string | number)[] = [];
  for (const token of [...host, '.']) {
    if (token !== '.') {
      label.push(token);
      continue;
    }
    const slot = label.find((t) => typeof t === 'number');
    if (slot !== undefined && label.length > 1) {
      throw fail(
        `has "{{${slots[slot as number]}}}" inside a host label: a host placeholder must be a whole DNS label, like "{{store}}.shop.example"`,
      );
    }
    if (slot === undefined && label.length > 0) literalLabel = true;
    label = [];
  }
  const hostHasSlots = host.some((t) => typeof t === 'number');
  if (hostHasSlots && (!literalLabel || host[0] === '[')) {
    throw fail('must keep at least one literal host label: a value may not choose the whole host');
  }

  // The URL with every placeholder replaced by a harmless sample must parse.
  let probe: URL;
  try {
    let text = literals[0]!;
    for (let i = 0; i < slots.length; i++) text += `x${literals[i + 1]!}`;
    probe = new URL(text);
  } catch {
    throw fail('is not a valid URL');
  }
  if (probe.username !== '' || probe.password !== '') {
    throw fail('may not hold userinfo ("user@host"): put credentials in variables and apply');
  }
  if (scheme[1]!.toLowerCase() === 'http' && (hostHasSlots || !isLoopbackHost(probe.hostname))) {
    const problem = hostHasSlots
      ? 'uses http: with a placeholder in the host: http: is only allowed for a literal loopback host; use https:'
      : 'uses http:, which only loopback hosts (localhost, 127.0.0.0/8, [::1]) may use: use https:';
    throw new SpliceError('INSECURE_URL', `Template ${name} ${problem}.`, {
      details: { template: name, issues: [{ path: name, message: problem }] },
    });
  }

  const dotSegments: DotSegment[] = [];
  for (const s of segments) {
    if (s.literal.replace(/%2e/gi, '').replace(/\./g, '') !== '') continue;
    const before = literals[s.first]!;
    const after = literals[s.last + 1]!;
    const end = after.search(/[/\\?#]/);
    dotSegments.push({
      first: s.first,
      last: s.last,
      prefix: before.slice(Math.max(before.lastIndexOf('/'), before.lastIndexOf('\\')) + 1),
      suffix: end === -1 ? after : after.slice(0, end),
    });
  }
  const hostKeys = uniqueKeys(
    host.filter((t): t is number => typeof t === 'number').map((slot) => slots[slot]!),
  );
  return {
    kinds,
    dotSegments,
    origin: hostHasSlots ? undefined : probe.origin,
    hostSlots: hostHasSlots,
    hostKeys,
  };
}
