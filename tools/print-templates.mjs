// Prints the absolute path of every synthesized CloudFormation template in a cdk.out folder.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? 'cdk.out');
const templates = readdirSync(dir).filter((f) => f.endsWith('.template.json'));
console.log(`Synthesized ${templates.length} templates:`);
for (const t of templates) console.log(`  ${resolve(dir, t)}`);
