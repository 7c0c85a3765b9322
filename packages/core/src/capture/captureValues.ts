import type { CapturedValueDefinition } from '../definition/types.js';
import { SpliceError } from '../errors/SpliceError.js';
import type { ErrorIds } from '../errors/SpliceErrorDetails.js';
import { compileOriginPatterns } from '../template/originPatterns.js';
import { compileTemplate } from '../template/template.js';

/**
 * Where {@link captureValues} reads, for messages and error details.
 *
 * @example
 * ```ts
 * const where: CaptureWhere = { source: 'token', ids: { connectorId: 'salesforce' } };
 * ```
 */
export interface CaptureWhere {
  readonly source: 'callback' | 'token' | 'step';
  /** The post-authorization step, for `source: 'step'`. */
  readonly stepId?: string;
  readonly ids: ErrorIds;
  /**
   * A refresh: a value the answer does not carry again is left out (the previous one stays)
   * instead of being `CAPTURE_INVALID`.
   */
  readonly partial?: boolean;
  /**
   * The instance's values, to render the `equals` templates of callback values with. A value
   * with `equals` and no `values` given is refused (`mismatch`): never accepted unchecked.
   */
  readonly values?: Readonly<Record<string, string>>;
}

function describe(where: CaptureWhere): string {
  if (where.source === 'callback') return 'The authorization callback';
  if (where.source === 'token')
    return `The token ${where.partial === true ? 'refresh ' : ''}response`;
  return `The answer of post-authorization step "${where.stepId}"`;
}

/**
 * Reads a method's captured values from one source (SPEC §4; the connector schema's
 * `CapturedValue`): each `field` through `read` (a callback parameter, or a dotted path via
 * `readPath`). Strings are kept as they are, numbers and booleans become strings. A value with
 * `equals` must be exactly that template rendered with `where.values` (Shopify's callback `shop`
 * is `{{shop | lower}}.myshopify.com`, https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant).
 * A value with `origins` must be exactly an origin one pattern allows and is kept as that origin.
 *
 * Throws `CAPTURE_INVALID` (details: key, field, source, reason) for a required value that is
 * missing (unless `partial`), a value that is not text, one that is not what `equals` says
 * (`mismatch`), or an origin no pattern allows; the value itself is never part of the error, so
 * nothing is saved or sent with it.
 *
 * @example
 * ```ts
 * captureValues(method.captured.filter((c) => c.from === 'callback'),
 *   (field) => params.get(field) ?? undefined, { source: 'callback', ids });
 * // { realm_id: '9130350025' }
 * ```
 */
export function captureValues(
  definitions: readonly Omit<CapturedValueDefinition, 'from'>[],
  read: (field: string) => unknown,
  where: CaptureWhere,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const definition of definitions) {
    const { key, field } = definition;
    const raw = read(field);
    const fail = (
      reason: 'missing' | 'not_text' | 'mismatch' | 'origin_not_allowed',
      problem: string,
    ): SpliceError =>
      new SpliceError('CAPTURE_INVALID', `${describe(where)} ${problem}`, {
        details: {
          ...where.ids,
          key,
          field,
          source: where.source,
          ...(where.stepId === undefined ? {} : { stepId: where.stepId }),
          reason,
          ...(reason === 'origin_not_allowed' ? { origins: definition.origins ?? [] } : {}),
        },
      });
    if (raw === undefined || raw === null || raw === '') {
      if (definition.required && where.partial !== true) {
        throw fail(
          'missing',
          `has no "${field}", which the auth method captures as "${key}". Check the provider's documentation for where it sends it, or mark the captured value "required: false".`,
        );
      }
      continue;
    }
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      throw fail(
        'not_text',
        `has "${field}" as ${Array.isArray(raw) ? 'a list' : 'an object'}, not text: the captured value "${key}" needs a string, number or boolean (a dotted path reaches inside objects).`,
      );
    }
    const value = String(raw);
    if (definition.equals !== undefined && !equalsExpected(definition.equals, key, value, where)) {
      throw fail(
        'mismatch',
        `has a "${field}" that is not the one the auth method expects for "${key}" (${definition.equals}, with the instance's variables): it was refused and nothing is sent. Start the authorization again from the instance it belongs to.`,
      );
    }
    if (definition.origins === undefined) {
      out[key] = value;
      continue;
    }
    const origin = compileOriginPatterns(definition.origins).match(value);
    if (origin === undefined) {
      throw fail(
        'origin_not_allowed',
        `has a "${field}" that is not an origin the auth method allows for "${key}" (${definition.origins.join(', ')}): it was refused and nothing is sent to it. If the provider really uses that host, add it to the captured value's "origins".`,
      );
    }
    out[key] = origin;
  }
  return out;
}

// The definition's `equals` template rendered with the instance's values, against the value. No
// values: refused, never accepted unchecked. A missing key is TEMPLATE_UNRESOLVED (keys only).
function equalsExpected(equals: string, key: string, value: string, where: CaptureWhere): boolean {
  if (where.values === undefined) return false;
  return compileTemplate(equals, 'text', `captured.${key}.equals`).render(where.values) === value;
}
