// The scripts the workflows run, run here as a runner would, with stand-ins for what this
// machine has not got: a fake `cdk` and `aws` on PATH that record their arguments, and a
// local HTTP server standing in for the deployed API.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FUNCTIONS_VERSION = JSON.parse(
  readFileSync(join(ROOT, 'packages', 'functions', 'package.json'), 'utf8'),
).version;

/** A folder with fake executables that append their argv (as JSON) to a log. */
function fakeBin(...names) {
  const dir = mkdtempSync(join(tmpdir(), 'fake-bin-'));
  const log = join(dir, 'calls.log');
  for (const name of names) {
    const path = join(dir, name);
    writeFileSync(
      path,
      `#!/usr/bin/env node\nrequire('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(['${name}', ...process.argv.slice(2)]) + '\\n');\n`,
    );
    chmodSync(path, 0o755);
  }
  const calls = () =>
    readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { dir, calls };
}

function run(cmd, args, env = {}) {
  return spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('tools/deploy.sh', () => {
  const assembly = mkdtempSync(join(tmpdir(), 'assembly-'));
  writeFileSync(join(assembly, 'manifest.json'), '{}');

  for (const stage of ['dev', 'staging', 'prod']) {
    it(`deploys ${stage}'s account, data and service stacks from a given assembly, never prompting`, () => {
      const bin = fakeBin('cdk');
      const result = run('bash', ['tools/deploy.sh', 'deploy', stage], {
        PATH: `${bin.dir}:${process.env.PATH}`,
        CDK_ASSEMBLY: assembly,
        CDK_OUTPUTS_FILE: '/tmp/outputs.json',
      });
      assert.equal(result.status, 0, result.stderr);
      const [call] = bin.calls();
      assert.deepEqual(call.slice(0, 3), ['cdk', 'deploy', '--app']);
      assert.equal(call[3], assembly);
      assert.deepEqual(call.slice(4, 7), [
        'SecurityAssistant-account',
        `SecurityAssistant-${stage}-data`,
        `SecurityAssistant-${stage}-service`,
      ]);
      assert.deepEqual(call.slice(call.indexOf('--require-approval'), call.indexOf('--require-approval') + 2), [
        '--require-approval',
        'never',
      ]);
      assert.ok(call.includes('--outputs-file') && call.includes('/tmp/outputs.json'));
    });
  }

  it('diffs the same stacks', () => {
    const bin = fakeBin('cdk');
    const result = run('bash', ['tools/deploy.sh', 'diff', 'prod'], {
      PATH: `${bin.dir}:${process.env.PATH}`,
      CDK_ASSEMBLY: assembly,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(bin.calls()[0].slice(0, 7), [
      'cdk',
      'diff',
      '--app',
      assembly,
      'SecurityAssistant-account',
      'SecurityAssistant-prod-data',
      'SecurityAssistant-prod-service',
    ]);
  });

  it('refuses an unknown stage and a folder that is no cloud assembly', () => {
    assert.match(run('bash', ['tools/deploy.sh', 'deploy', 'qa']).stderr, /unknown stage 'qa'/);
    const empty = mkdtempSync(join(tmpdir(), 'empty-'));
    const result = run('bash', ['tools/deploy.sh', 'deploy', 'dev'], { CDK_ASSEMBLY: empty });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /is not a cloud assembly/);
  });

  it('no deploy path of the repository can stop at an approval prompt', () => {
    const tasks = JSON.parse(readFileSync(join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
    const everything = [
      JSON.stringify(tasks),
      readFileSync(join(ROOT, 'tools', 'deploy.sh'), 'utf8'),
    ].join('\n');
    assert.doesNotMatch(everything, /require-approval (broadening|any-change)/);
    for (const stage of ['dev', 'staging', 'prod']) {
      assert.deepEqual(tasks[`deploy:${stage}`].steps, [{ exec: `bash tools/deploy.sh deploy ${stage}` }]);
    }
  });
});

describe('tools/smoke-test.mjs', () => {
  let server;
  let url;
  let behaviour = 'healthy';

  before(async () => {
    server = createServer((req, res) => {
      const send = (status, body) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/staging/health') {
        if (behaviour === 'wrong-version') return send(200, { status: 'ok', version: '9.9.9', stage: 'staging' });
        if (behaviour === 'down') return send(502, { message: 'Internal server error' });
        return send(200, { status: 'ok', version: FUNCTIONS_VERSION, stage: 'staging' });
      }
      if (behaviour === 'html-404') {
        res.writeHead(404, { 'content-type': 'text/html' });
        return res.end('<h1>Not Found</h1>');
      }
      return send(403, { error: { code: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' } });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${server.address().port}/staging/`;
  });
  after(() => server.close());

  // asynchronous: the stand-in server answers from this very process
  const smoke = (args, env = {}) =>
    new Promise((done) => {
      const child = spawn('node', ['tools/smoke-test.mjs', ...args], {
        cwd: ROOT,
        env: { ...process.env, SMOKE_ATTEMPTS: '2', SMOKE_DELAY_MS: '10', ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => done({ status, stdout, stderr }));
    });

  it('passes against a platform answering /health with its version and 4xx errors in shape', async () => {
    behaviour = 'healthy';
    const result = await smoke(['--url', url, '--stage', 'staging']);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /Smoke test passed/);
  });

  it('reads the API URL from the deploy outputs and reports them to the job summary', async () => {
    behaviour = 'healthy';
    const dir = mkdtempSync(join(tmpdir(), 'outputs-'));
    const outputs = join(dir, 'outputs.json');
    const summary = join(dir, 'summary.md');
    writeFileSync(
      outputs,
      JSON.stringify({ 'SecurityAssistant-staging-service': { ApiUrl: url, ApiKeyId: 'abc123' } }),
    );
    const result = await smoke(['--outputs', outputs, '--stage', 'staging'], {
      GITHUB_STEP_SUMMARY: summary,
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const text = readFileSync(summary, 'utf8');
    assert.match(text, /ApiKeyId \| `abc123`/);
    assert.match(text, /Smoke test passed/);
  });

  for (const [name, pattern] of [
    ['wrong-version', /expected status ok, version/],
    ['down', /answered 502/],
    ['html-404', /not \{"error":\{"code","message"\}\}/],
  ]) {
    it(`fails when the platform is ${name}`, async () => {
      behaviour = name;
      const result = await smoke(['--url', url, '--stage', 'staging']);
      assert.equal(result.status, 1);
      assert.match(result.stderr, pattern);
    });
  }
});

describe('tools/notify-deployment.mjs', () => {
  const deployment = {
    DEPLOY_ENVIRONMENT: 'production',
    DEPLOY_VERSION: '0.1.1',
    DEPLOY_COMMIT: 'abc1234',
    DEPLOY_OUTCOME: 'success',
    DEPLOY_RUN_URL: 'https://example.invalid/run/1',
  };

  it('publishes environment, version, commit, outcome and link to the topic', () => {
    const bin = fakeBin('aws');
    const result = run('node', ['tools/notify-deployment.mjs'], {
      ...deployment,
      PATH: `${bin.dir}:${process.env.PATH}`,
      DEPLOYMENTS_TOPIC_ARN: 'arn:aws:sns:region:000000000000:deployments',
    });
    assert.equal(result.status, 0, result.stderr);
    const [call] = bin.calls();
    assert.deepEqual(call.slice(0, 5), ['aws', 'sns', 'publish', '--topic-arn', 'arn:aws:sns:region:000000000000:deployments']);
    const message = call[call.indexOf('--message') + 1];
    for (const value of Object.values(deployment)) assert.ok(message.includes(value), value);
  });

  it('says it skipped when no topic is configured, and succeeds', () => {
    const bin = fakeBin('aws');
    mkdirSync(bin.dir, { recursive: true });
    const result = run('node', ['tools/notify-deployment.mjs'], {
      ...deployment,
      PATH: `${bin.dir}:${process.env.PATH}`,
      DEPLOYMENTS_TOPIC_ARN: '',
    });
    assert.equal(result.status, 0);
    assert.match(result.stdout, /Notification skipped: no DEPLOYMENTS_TOPIC_ARN/);
  });
});
