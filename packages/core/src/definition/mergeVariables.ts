import type { VariableDefinition } from './types.js';

/**
 * A definition's version of a variable: the key plus only the fields it sets. A full
 * {@link VariableDefinition} is one too (then every field overrides).
 *
 * @example
 * ```ts
 * const override: VariableOverride = { key: 'scope', default: 'orders.read' };
 * ```
 */
export type VariableOverride = { readonly key: string } & Partial<Omit<VariableDefinition, 'key'>>;

const FLAGS = ['required', 'configurable', 'advanced'] as const;

// `parseConnector` fills every flag of a variable with `false`, so a parsed variable cannot say
// whether the definition wrote `required: false` or said nothing. It records the fields the
// definition wrote under this non-enumerable brand (invisible to JSON, equality and spreading), so
// a later merge (the runtime's, when the connector was parsed without strategies) overrides only
// those. A variable without the brand (a copy, a hand-built object) overrides every field it has.
const kWritten = Symbol.for('splice.variable.writtenFields');

/** Records on a parsed variable which fields its definition wrote; see `mergeVariables`. */
export function markWrittenFields<T extends object>(variable: T, fields: readonly string[]): T {
  Object.defineProperty(variable, kWritten, { value: Object.freeze([...fields]) });
  return variable;
}

function writes(override: VariableOverride, field: keyof VariableDefinition): boolean {
  const written = (override as { [kWritten]?: readonly string[] })[kWritten];
  return written === undefined ? override[field] !== undefined : written.includes(field);
}

/**
 * Merges a strategy's locked default variables with a method definition's variables (SPEC §2).
 * The result lists every default first, in the strategy's order, then the definition's extra
 * variables in their order. A definition variable with a default's key is an override, not a
 * duplicate: it may change `label`, `alias`, `default` and the `required`, `configurable` and
 * `advanced` flags; the variable stays `locked`. A default that is `secret` stays secret: a
 * definition can mark a variable secret, never unmark a strategy's secret (that would put a client
 * secret in logs). Extras get `false` for every flag they do not set. When a key appears twice in
 * `overrides`, the first wins (the duplicate is a definition error reported by `parseConnector`).
 *
 * Variables returned by `parseConnector` remember which fields the definition wrote, so merging
 * them again (e.g. in the runtime, for a connector parsed without `strategies`) overrides only
 * those: `{ key: client_id, label: App }` does not clear the strategy's `required: true`. Merging
 * an already merged list gives the same list.
 *
 * @example
 * ```ts
 * mergeVariables(
 *   [{ key: 'scope', label: 'Scope', default: '', required: false, configurable: true,
 *      advanced: false, secret: false, locked: true }],
 *   [{ key: 'scope', default: 'orders.read' }, { key: 'tenant', required: true }],
 * );
 * // [{ key: 'scope', label: 'Scope', default: 'orders.read', ..., locked: true },
 * //  { key: 'tenant', required: true, configurable: false, ..., locked: false }]
 * ```
 */
export function mergeVariables(
  defaults: readonly VariableDefinition[],
  overrides: readonly VariableOverride[],
): VariableDefinition[] {
  const byKey = new Map<string, VariableOverride>();
  for (const override of overrides) if (!byKey.has(override.key)) byKey.set(override.key, override);
  const defaultKeys = new Set(defaults.map((d) => d.key));
  const out: VariableDefinition[] = [];
  for (const base of defaults) {
    const override = byKey.get(base.key);
    const merged: Record<string, unknown> = { ...base, locked: true };
    if (override !== undefined) {
      for (const field of ['label', 'alias', 'default', ...FLAGS] as const) {
        if (writes(override, field) && override[field] !== undefined) {
          merged[field] = override[field];
        }
      }
      merged['secret'] = base.secret || (writes(override, 'secret') && override.secret === true);
    }
    out.push(merged as unknown as VariableDefinition);
  }
  for (const override of byKey.values()) {
    if (defaultKeys.has(override.key)) continue;
    out.push(fill(override));
  }
  return out;
}

function fill(variable: VariableOverride): VariableDefinition {
  const out: Record<string, unknown> = { key: variable.key };
  for (const field of ['label', 'alias', 'default'] as const) {
    if (variable[field] !== undefined) out[field] = variable[field];
  }
  for (const field of [...FLAGS, 'secret', 'locked'] as const)
    out[field] = variable[field] ?? false;
  return out as unknown as VariableDefinition;
}
