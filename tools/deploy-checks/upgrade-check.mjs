// upgrade-check.mjs <before> <after>: compares two synthesized cloud assemblies (the previous
// release's and this change's) the way `cdk diff` does (@aws-cdk/cloudformation-diff, the CLI's
// own diff engine) and fails when CloudFormation would replace, destroy or orphan a stateful
// resource: a new, empty table or bucket, and with Retain the old one orphaned with the data.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ResourceImpact, fullDiff } from '@aws-cdk/cloudformation-diff';

/** Resource types whose replacement loses data or breaks every caller. */
export const STATEFUL_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::SQS::Queue',
  'AWS::KMS::Key',
  'AWS::SNS::Topic',
];
const HARMFUL = [
  ResourceImpact.WILL_REPLACE,
  ResourceImpact.MAY_REPLACE,
  ResourceImpact.WILL_DESTROY,
  ResourceImpact.WILL_ORPHAN,
];

const templatesOf = (dir) =>
  Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => [
        f.replace('.template.json', ''),
        JSON.parse(readFileSync(join(dir, f), 'utf8')),
      ]),
  );

/**
 * @returns {{ stack: string, logicalId: string, type: string, impact: string }[]} every
 *   stateful resource of a stack in both assemblies that the upgrade would replace, destroy or
 *   orphan; a stack only in `after` is new and harms nothing.
 */
export function harmfulChanges(beforeTemplates, afterTemplates) {
  const harmful = [];
  for (const [stack, before] of Object.entries(beforeTemplates)) {
    const after = afterTemplates[stack] ?? {};
    fullDiff(before, after).resources.forEachDifference((logicalId, change) => {
      const type = change.oldResourceType ?? change.newResourceType;
      if (STATEFUL_TYPES.includes(type) && HARMFUL.includes(change.changeImpact)) {
        harmful.push({ stack, logicalId, type, impact: change.changeImpact });
      }
    });
  }
  return harmful;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [beforeDir, afterDir] = process.argv.slice(2);
  if (!beforeDir || !afterDir) {
    console.error(
      'usage: upgrade-check.mjs <assembly of the previous release> <assembly of this change>',
    );
    process.exit(2);
  }
  const before = templatesOf(beforeDir);
  const harmful = harmfulChanges(before, templatesOf(afterDir));
  for (const h of harmful) {
    console.log(`upgrade check: FAIL ${h.stack}/${h.logicalId} (${h.type}): ${h.impact}`);
  }
  console.log(
    harmful.length
      ? `upgrade check: ${harmful.length} stateful resources would be replaced, destroyed or orphaned: keep their logical ids and replacement-free properties, or write the migration first`
      : `upgrade check: ok, no stateful resource of ${Object.keys(before).length} stacks is replaced, destroyed or orphaned`,
  );
  process.exit(harmful.length ? 1 : 0);
}
