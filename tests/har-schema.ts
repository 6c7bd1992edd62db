// Validator for HAR 1.2 (the `har-schema` package's JSON schemas, draft-06) with the project's ajv,
// shared by unit and e2e tests.
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const schemas = require('har-schema') as Record<string, { $id: string }>;
const draft06 = require('ajv/dist/refs/json-schema-draft-06.json') as object;

// har-schema uses keywords that are no JSON Schema (`optional`, `min`): not strict about those.
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addMetaSchema(draft06);
(addFormats as unknown as (a: Ajv) => void)(ajv);
for (const schema of Object.values(schemas)) ajv.addSchema(schema);
const validate = ajv.getSchema('har.json#')!;

/** Errors as readable lines; empty when the value is a valid HAR 1.2 document. */
export function harSchemaErrors(har: unknown): string[] {
  if (validate(har)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}
