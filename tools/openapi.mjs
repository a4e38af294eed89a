// Writes the API's OpenAPI 3.1 document, packages/constructs/openapi.json, from the contract
// the construct builds API Gateway's methods, parameters and models from
// (src/private/api-contract.ts). Run by the construct's build after jsii; checked in, and
// `npx projen check-api-docs` fails when a build changed it.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', 'packages', 'constructs');
const { openApiDocument } = createRequire(import.meta.url)(join(dir, 'lib', 'private', 'openapi.js'));
writeFileSync(join(dir, 'openapi.json'), `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log('openapi.json written');
