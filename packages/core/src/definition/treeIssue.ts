import type { DefinitionIssue } from '../strategy/AuthStrategy.js';
import { joinPath } from './checkConnector.js';

/**
 * How deep a definition may nest, counting the connector as level 1. The built-in connectors reach
 * 8 (a dialect's body rules, a post-authorization step's captured values); 64 leaves room for any
 * body template while keeping every check that walks a definition far from the call stack's limit.
 */
export const MAX_DEFINITION_DEPTH = 64;

/**
 * The `cycle` issue of a value at `path` that is the value at `seenAt`, which contains it: one
 * wording for a JS object that contains itself and a YAML alias inside its own anchor.
 *
 * @example
 * ```ts
 * cycleIssue('endpoints[0]', 'endpoints'); // { path: 'endpoints[0]', code: 'cycle', message: 'refers back to endpoints, … }
 * ```
 */
export function cycleIssue(path: string, seenAt: string): DefinitionIssue {
  return {
    path,
    code: 'cycle',
    message: `refers back to ${seenAt === '' ? 'the root' : seenAt}, which contains it (a cycle): a definition is plain data, which JSON cannot hold a cycle in; copy the value instead of referring to it`,
  };
}

/**
 * The first reason `input` is not a finite tree of plain data, or `undefined`: a value that
 * contains itself (a cycle, which a JS object or a YAML alias of its own anchor can make, and
 * which neither JSON nor a store can hold), or nesting deeper than {@link MAX_DEFINITION_DEPTH}.
 * Checked before anything else walks the definition: every later walk is recursive.
 *
 * The walk is recursive too, but never deeper than the limit. A value reached twice by different
 * paths (a YAML alias) is fine and walked once per path.
 *
 * @example
 * ```ts
 * const a: unknown[] = [];
 * a.push(a);
 * treeIssue({ endpoints: a }); // { path: 'endpoints[0]', code: 'cycle', message: 'refers back to endpoints, … }
 * ```
 */
export function treeIssue(input: unknown): DefinitionIssue | undefined {
  const ancestors = new Map<object, string>();
  const visit = (value: unknown, path: string, depth: number): DefinitionIssue | undefined => {
    if (typeof value !== 'object' || value === null) return undefined;
    const seenAt = ancestors.get(value);
    if (seenAt !== undefined) {
      return cycleIssue(path, seenAt);
    }
    if (depth > MAX_DEFINITION_DEPTH) {
      return {
        path,
        code: 'too_deep',
        message: `is nested deeper than ${MAX_DEFINITION_DEPTH} levels: flatten it`,
      };
    }
    // A typed array or Buffer holds only numbers: nothing to walk, however long it is.
    if (ArrayBuffer.isView(value)) return undefined;
    ancestors.set(value, path);
    // By the indexes it holds, not by iterator (input is data, and an array of a JS caller's may
    // carry its own) nor up to its length (a sparse array's may be in the billions).
    if (Array.isArray(value)) {
      for (const key of Object.keys(value)) {
        const index = Number(key);
        if (!Number.isInteger(index)) continue;
        const issue = visit(value[index], joinPath(path, index), depth + 1);
        if (issue !== undefined) return issue;
      }
    } else {
      for (const [key, item] of Object.entries(value)) {
        const issue = visit(item, joinPath(path, key), depth + 1);
        if (issue !== undefined) return issue;
      }
    }
    ancestors.delete(value);
    return undefined;
  };
  return visit(input, '', 1);
}
