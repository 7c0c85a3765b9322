import * as z from 'zod';
import { connectorSchema } from './connectorSchema.js';

/**
 * The JSON Schema (draft 2020-12) of a connector definition as written (the input side: defaults
 * optional, numbers allowed for `default` and `version`), generated from the same zod schema
 * `parseConnector` uses. `connector.schema.json` in this package is this object; editors use it
 * through a definition's `$schema` field. Rules that span fields (duplicates, references,
 * templates) are checked by `parseConnector` only.
 *
 * @example
 * ```ts
 * writeFileSync('connector.schema.json', `${JSON.stringify(connectorJsonSchema(), null, 2)}\n`);
 * ```
 */
export function connectorJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(connectorSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
}
