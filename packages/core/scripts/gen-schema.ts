// Writes connector.schema.json from the zod schema parseConnector uses (`pnpm gen:schema`).
// A unit test fails when the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectorJsonSchema } from '../src/definition/connectorJsonSchema.js';

const target = fileURLToPath(new URL('../connector.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(connectorJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
