import type { VariableDefinition, VariableOverride } from './types.js';

const FLAGS = ['required', 'configurable', 'advanced'] as const;

/**
 * Merges a strategy's locked default variables with a method definition's variables (SPEC §2).
 * The result lists every default first, in the strategy's order, then the definition's extra
 * variables in their order. A definition variable with a default's key is an override, not a
 * duplicate: each field it writes (`label`, `alias`, `default`, `required`, `configurable`,
 * `advanced`, `perCall`) replaces the default's; the variable stays `locked`. A default that is `secret`
 * stays secret: a definition can mark a variable secret, never unmark a strategy's secret (that
 * would put a client secret in logs). Extras get `false` for every flag they do not set. When a key
 * appears twice in `overrides`, the first wins (the duplicate is a definition error reported by
 * `parseConnector`).
 *
 * Plain data in, plain data out: what a variable writes is what it has (`parseConnector` keeps an
 * auth method's variables as written), so merging an already merged list gives the same list and
 * a JSON copy of a definition merges the same way.
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
      for (const field of ['label', 'alias', 'default', 'perCall', ...FLAGS] as const) {
        if (override[field] !== undefined) merged[field] = override[field];
      }
      merged['secret'] = base.secret || override.secret === true;
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
  for (const field of ['label', 'alias', 'default', 'perCall'] as const) {
    if (variable[field] !== undefined) out[field] = variable[field];
  }
  for (const field of [...FLAGS, 'secret', 'locked'] as const)
    out[field] = variable[field] ?? false;
  return out as unknown as VariableDefinition;
}
