import type { AuthContext } from '@splice/core';
import { OAUTH2_DEFAULT_VARIABLES } from '../variables/defaultVariables.js';

const STRATEGY_DEFAULTS = new Map(OAUTH2_DEFAULT_VARIABLES.map((v) => [v.key, v.default]));

/**
 * The value of `key`: the context's resolved values, else the method's default, else the
 * strategy's default. Callers decide whether an empty string counts as unset.
 *
 * @example
 * ```ts
 * variableValue(ctx, 'pkce'); // 'S256' unless the definition or the user changed it
 * ```
 */
export function variableValue(ctx: AuthContext, key: string): string | undefined {
  const fromValues = ctx.values[key];
  if (fromValues !== undefined) return fromValues;
  const fromMethod = ctx.method.variables.find((v) => v.key === key)?.default;
  if (fromMethod !== undefined) return fromMethod;
  return STRATEGY_DEFAULTS.get(key);
}
