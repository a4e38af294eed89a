// The upgrade check: what CloudFormation would do to stateful resources between two releases'
// templates, judged by the CDK CLI's own diff engine.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { harmfulChanges } from '../deploy-checks/upgrade-check.mjs';

const table = (props = {}) => ({
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    TableName: 'security-assistant-prod-jobs',
    KeySchema: [{ AttributeName: 'job_id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'job_id', AttributeType: 'S' }],
    ...props,
  },
  DeletionPolicy: 'RetainExceptOnCreate',
});
const queue = (props = {}) => ({
  Type: 'AWS::SQS::Queue',
  Properties: { QueueName: 'jobs', ...props },
});
const fn = (memory) => ({ Type: 'AWS::Lambda::Function', Properties: { MemorySize: memory } });
const release = (resources) => ({ 'SecurityAssistant-prod-data': { Resources: resources } });
const BEFORE = release({ DataJobsTable: table(), DataQueue: queue(), Processor: fn(1024) });

describe('upgrade check', () => {
  test('passes an upgrade that changes stateful resources in place and stateless ones at will', () => {
    const after = release({
      DataJobsTable: table({ BillingMode: 'PAY_PER_REQUEST' }),
      DataQueue: queue({ VisibilityTimeout: 900 }),
    });
    assert.deepEqual(harmfulChanges(BEFORE, after), []);
  });

  test('fails when a stateful logical id changes: the old table would be destroyed (orphaned under Retain)', () => {
    const after = release({
      DataJobsTableRenamed: table(),
      DataQueue: queue(),
      Processor: fn(1024),
    });
    assert.deepEqual(
      harmfulChanges(BEFORE, after).map((h) => [h.logicalId, h.type]),
      [['DataJobsTable', 'AWS::DynamoDB::Table']],
    );
  });

  test('fails when a property change would replace a stateful resource', () => {
    const after = release({
      DataJobsTable: table({ KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }),
      DataQueue: queue({ QueueName: 'jobs-2' }),
      Processor: fn(2048),
    });
    const harmful = harmfulChanges(BEFORE, after);
    assert.deepEqual(harmful.map((h) => h.logicalId).sort(), ['DataJobsTable', 'DataQueue']);
    assert.ok(
      harmful.every((h) => /REPLACE/.test(h.impact)),
      JSON.stringify(harmful),
    );
  });

  test('the command exits 1 and names each resource, 0 with nothing harmful', () => {
    const write = (templates) => {
      const dir = mkdtempSync(join(tmpdir(), 'upgrade-'));
      mkdirSync(dir, { recursive: true });
      for (const [stack, t] of Object.entries(templates))
        writeFileSync(join(dir, `${stack}.template.json`), JSON.stringify(t));
      return dir;
    };
    const run = (after) =>
      spawnSync('node', ['tools/deploy-checks/upgrade-check.mjs', write(BEFORE), write(after)], {
        encoding: 'utf8',
      });
    const bad = run(release({ DataQueue: queue(), Processor: fn(1024) }));
    assert.equal(bad.status, 1);
    assert.match(
      bad.stdout,
      /FAIL SecurityAssistant-prod-data\/DataJobsTable \(AWS::DynamoDB::Table\): WILL_/,
    );
    const good = run(BEFORE);
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /ok, no stateful resource of 1 stacks/);
  });

  test('before the first release, the workflow step says there is nothing to upgrade from', () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'summary-')), 'summary.md');
    const repo = mkdtempSync(join(tmpdir(), 'untagged-'));
    spawnSync('git', ['init', '-q', repo]);
    const result = spawnSync(
      'bash',
      ['-c', `cp -r tools "${repo}/" && cd "${repo}" && bash tools/upgrade-check.sh`],
      {
        encoding: 'utf8',
        env: { ...process.env, GITHUB_STEP_SUMMARY: summary },
      },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      readFileSync(summary, 'utf8'),
      /upgrade check skipped: no @security-assistant\/constructs release tag yet/,
    );
  });
});
