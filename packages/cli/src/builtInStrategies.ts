/**
 * The strategies the `splice` command knows: every built-in one (`builtInStrategies()` of
 * `@splice/strategies/built-in`). Methods of other types belong to an engine's own strategies;
 * `splice validate` checks their schema only.
 *
 * @example
 * ```ts
 * await loadConnector('acme.yaml', { strategies: builtInStrategies() });
 * ```
 */
export { builtInStrategies } from '@splice/strategies/built-in';
