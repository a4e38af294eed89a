// rehearse.mjs <stage> [cdk synth options, e.g. -c key=value]: the first deployment of a stage, rehearsed on the AWS emulator (moto
// server on 127.0.0.1, with the CloudFormation fixes of tools/moto_rehearsal.py) through the
// real path: the CDK CLI's `cdk bootstrap`, then `tools/deploy.sh deploy <stage>`.
//   1. a first deploy that fails partway (a log group of the stage's name already exists),
//      rolls back, and leaves nothing of the failed stack behind; the retry succeeds;
//   2. what was created, read back and compared with the templates; the resource types the
//      emulator does not model are listed by name;
//   3. a deploy after a handler change: only the service stack changes, and no stateful
//      resource is replaced.
// Exits 1 on any failed step. Nothing here reaches AWS: every client points at the emulator.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  GetFunctionConfigurationCommand,
  GetAliasCommand,
  LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { accountStandIn } from './account-stand-in.mjs';
import { defaultClients, runPreflight } from './preflight.mjs';
import { STATEFUL_TYPES } from './upgrade-check.mjs';
import { stackResources, verifyStack } from './verify-stack.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP = join(ROOT, 'packages', 'app');
const { startMotoServer } = createRequire(import.meta.url)(join(ROOT, 'tools', 'moto-server.cjs'));

/** No step may hang the suite: the CLI retries an emulator's 500s for a long time. */
const STEP_TIMEOUT_MS = 5 * 60_000;

const [stage, ...synthOptions] = process.argv.slice(2);
if (!['dev', 'staging', 'prod'].includes(stage)) {
  console.error('usage: rehearse.mjs dev|staging|prod');
  process.exit(2);
}
const prefix = `security-assistant-${stage}`;
const stacks = {
  data: `SecurityAssistant-${stage}-data`,
  service: `SecurityAssistant-${stage}-service`,
};
const failures = [];
const step = (line) => console.log(`rehearse ${stage}: ${line}`);
const fail = (line) => {
  failures.push(line);
  console.log(`rehearse ${stage}: FAILED ${line}`);
};

const work = mkdtempSync(join(tmpdir(), 'rehearse-'));
const moto = await startMotoServer({ script: join(ROOT, 'tools', 'moto_rehearsal.py') });
const region = process.env.AWS_REGION ?? 'us-east-1'; // the emulator's region, as for `npx projen local`
Object.assign(process.env, {
  AWS_ENDPOINT_URL: moto.url,
  // the template URL the CLI hands CloudFormation: moto reads it back from its own S3 only
  // when the host is "localhost"
  AWS_ENDPOINT_URL_S3_FOR_CLOUDFORMATION: moto.url.replace('127.0.0.1', 'localhost'),
  AWS_ACCESS_KEY_ID: 'rehearsal',
  AWS_SECRET_ACCESS_KEY: 'rehearsal',
  AWS_REGION: region,
  AWS_DEFAULT_REGION: region,
  // the CDK CLI of the workspace, as under `npx projen`
  PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
});
for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'CDK_ASSEMBLY']) delete process.env[name];

try {
  const versions = spawnSync(
    join(ROOT, '.venv', 'bin', 'python'),
    [join(ROOT, 'tools', 'moto_rehearsal.py'), '--fixes'],
    { encoding: 'utf8' },
  );
  step(
    `emulator ${moto.url}; moto fixes in force:\n${versions.stdout.trim().replace(/^/gm, '    ')}`,
  );

  const first = synth('assembly-1');
  const { Account } = await new STSClient({}).send(new GetCallerIdentityCommand({}));
  run(
    'cdk bootstrap',
    'npx',
    ['cdk', 'bootstrap', `aws://${Account}/${region}`, '--no-notices'],
    APP,
  );

  // 1. a first deploy that fails partway, rolls back, and is retried
  const logs = new CloudWatchLogsClient({});
  const conflict = `/aws/lambda/${prefix}-health`;
  await logs.send(new CreateLogGroupCommand({ logGroupName: conflict }));
  const seeded = await preflight(first);
  const taken = seeded.results.find((r) => r.check === 'names already taken');
  if (seeded.passed || !taken.message.includes(conflict))
    fail(`the preflight did not name the taken ${conflict}: ${taken.message}`);
  else step(`preflight with the conflict seeded: FAIL ${taken.message.slice(0, 160)}`);
  const failed = deploy(first, { expectFailure: true });
  if (failed.status === 0) fail(`the deploy succeeded although ${conflict} already existed`);
  else if (!/already exists/.test(failed.stdout) || !/ROLLBACK_COMPLETE/.test(failed.stdout)) {
    fail(
      `the first deploy failed, but not by rolling back on the conflict:\n${failed.stdout.slice(-2000)}`,
    );
  } else
    step(
      `first deploy failed as it should (${conflict} already exists): ${lastLine(failed, /ROLLBACK_IN_PROGRESS.*|failed creation.*/)}`,
    );
  await logs.send(new DeleteLogGroupCommand({ logGroupName: conflict }));
  const left = [
    ...(await new LambdaClient({}).send(new ListFunctionsCommand({}))).Functions.map(
      (f) => f.FunctionName,
    ),
    ...(
      await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }))
    ).logGroups.map((g) => g.logGroupName),
  ].filter((name) => name.includes(prefix));
  if (left.length)
    fail(
      `the rolled-back create left ${left.length} named resources behind, which block the retry: ${left.join(', ')}`,
    );
  else step('rollback left no function or log group of the stage behind');
  await prodPreflightInANewAccount(first);
  const clean = await preflight(first);
  if (!clean.passed)
    fail(
      `the preflight fails after the conflict is removed: ${clean.results
        .filter((r) => r.status === 'FAIL')
        .map((r) => `${r.check}: ${r.message}`)
        .join('; ')}`,
    );
  else
    step(
      `preflight after the rollback and without the conflict: ${clean.results.map((r) => `${r.status} ${r.check}`).join(', ')}`,
    );
  const retry = deploy(first);
  if (retry.status !== 0) {
    throw new Error(`the retry failed, so nothing more can be rehearsed: ${lastLine(retry)}`);
  }
  step('retry after removing the conflict: deployed the account, data and service stacks');

  // 2. what exists, against the templates
  for (const stack of Object.values(stacks)) {
    const template = JSON.parse(readFileSync(join(first, `${stack}.template.json`), 'utf8'));
    const { checked, failures: wrong, unmodelled, notCarried } = await verifyStack(stack, template);
    step(
      `${stack}: ${checked.length} settings as the template says (${Object.keys(template.Resources).length} resources)`,
    );
    for (const line of wrong) fail(`${stack}: ${line}`);
    const types = Object.entries(unmodelled).map(([t, n]) => `${t} (${n})`);
    step(`${stack}: not modelled by the emulator, so not checked: ${types.join(', ') || 'none'}`);
    step(
      `${stack}: settings the emulator's CloudFormation does not apply, so unverified: ${notCarried.join(', ') || 'none'}`,
    );
  }

  // 3. a handler change: only the service stack changes, nothing stateful is replaced
  const before = await physicalIds();
  const healthBefore = await liveCode('health');
  const second = synth('assembly-2', { changeHandler: 'health' });
  if (
    readFileSync(join(first, `${stacks.data}.template.json`), 'utf8') !==
    readFileSync(join(second, `${stacks.data}.template.json`), 'utf8')
  ) {
    fail('the handler change changed the data stack template');
  }
  const redeploy = deploy(second);
  if (redeploy.status !== 0)
    fail(`the deploy after a handler change failed: ${lastLine(redeploy)}`);
  if (!new RegExp(`${stacks.data} \\(no changes\\)`).test(redeploy.stdout))
    fail('the data stack was deployed again after a handler change');
  const after = await physicalIds();
  const replaced = Object.keys(before).filter(
    (id) => before[id].stateful && after[id]?.physical !== before[id].physical,
  );
  if (replaced.length) fail(`stateful resources replaced: ${replaced.join(', ')}`);
  const changedData = Object.keys(before).filter(
    (id) => id.startsWith(stacks.data) && after[id]?.physical !== before[id].physical,
  );
  if (changedData.length) fail(`data stack resources changed: ${changedData.join(', ')}`);
  const healthAfter = await liveCode('health');
  if (healthAfter.sha === healthBefore.sha || healthAfter.version === healthBefore.version) {
    fail(
      `health's live alias did not move to the new code (version ${healthBefore.version} → ${healthAfter.version})`,
    );
  } else {
    step(
      `handler change: health live alias ${healthBefore.version} → ${healthAfter.version}; data stack unchanged (${Object.keys(before).filter((id) => id.startsWith(stacks.data)).length} resources); ${Object.values(before).filter((r) => r.stateful).length} stateful resources kept`,
    );
  }
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
  if (err instanceof Error && !err.message.startsWith('the retry')) console.error(err.stack);
}
try {
  step(
    "not rehearsed here: CodeDeploy traffic shifting and its hooks, alarms, API Gateway stages, usage plans and keys (not modelled: see the lists above); on AWS the rollback is CloudFormation's, here the emulator fix does what CloudFormation documents",
  );
} finally {
  await moto.stop();
  rmSync(work, { recursive: true, force: true });
}
if (failures.length) {
  console.log(`rehearse ${stage}: ${failures.length} failed`);
  process.exit(1);
}
step('passed');

/**
 * The preflight of the stage against the emulator. moto serves no anomaly monitors, cost
 * allocation tags, Lambda account settings or Chatbot: those answer from the account stand-in
 * (no monitors, a concurrency of 1000, the tag active, no workspace needed).
 */
function preflight(assemblyDir, { forStage = stage, account = {} } = {}) {
  const clients = {
    ...defaultClients(),
    ...accountStandIn({ activeTags: ['Environment'], ...account }),
  };
  return runPreflight({ stage: forStage, assemblyDir, clients });
}

/**
 * prod's preflight in an ordinary new account: AWS's services monitor, a concurrency quota of
 * 10 and a log group of prod's name already there. The concurrency and the name fail with
 * their fix; the monitor does not clash (prod's is CUSTOM) and is offered for reuse.
 */
async function prodPreflightInANewAccount(assemblyDir) {
  const logGroup = '/aws/lambda/security-assistant-prod-health';
  const logs = new CloudWatchLogsClient({});
  await logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
  const services = {
    MonitorArn: 'arn:aws:ce::000000000000:anomalymonitor/services',
    MonitorName: 'Default-Services-Monitor',
    MonitorType: 'DIMENSIONAL',
    MonitorDimension: 'SERVICE',
  };
  try {
    const seeded = await preflight(assemblyDir, {
      forStage: 'prod',
      account: { monitors: [services], concurrency: { limit: 10 } },
    });
    const by = Object.fromEntries(seeded.results.map((r) => [r.check, r]));
    const expected =
      !seeded.passed &&
      by['Lambda concurrency'].status === 'FAIL' &&
      /L-B99A9384/.test(by['Lambda concurrency'].message) &&
      by['names already taken'].message.includes(logGroup) &&
      by['cost anomaly monitors'].status === 'ok' &&
      by['cost anomaly monitors'].message.includes(services.MonitorArn);
    if (!expected) fail(`prod's preflight in a new account: ${JSON.stringify(seeded.results)}`);
    else
      step(
        `preflight:prod in a new account (services monitor, concurrency 10, ${logGroup} taken): ${seeded.results.map((r) => `${r.status} ${r.check}`).join(', ')}`,
      );
  } finally {
    await logs.send(new DeleteLogGroupCommand({ logGroupName: logGroup }));
  }
  const clean = await preflight(assemblyDir, { forStage: 'prod' });
  if (!clean.passed)
    fail(`prod's preflight fails in a clean account: ${JSON.stringify(clean.results)}`);
  else step('preflight:prod in an account that can hold it: passed');
}

/** Synthesizes the app into the work folder; `changeHandler` changes that bundle first (and restores it). */
function synth(name, { changeHandler } = {}) {
  const out = join(work, name);
  const bundle =
    changeHandler &&
    join(ROOT, 'packages', 'constructs', 'assets', 'functions', changeHandler, 'index.mjs');
  const original = bundle && readFileSync(bundle);
  try {
    if (bundle) appendFileSync(bundle, `\n// rehearsal: a handler change ${Date.now()}\n`);
    run(
      `cdk synth (${name})`,
      'npx',
      ['cdk', 'synth', '--quiet', '--no-notices', ...synthOptions, '-o', out],
      APP,
    );
  } finally {
    if (bundle) writeFileSync(bundle, original);
  }
  return out;
}

/** `tools/deploy.sh deploy <stage>` of an assembly, as the pipeline runs it. */
function deploy(assembly, { expectFailure = false } = {}) {
  const result = spawnSync('bash', [join(ROOT, 'tools', 'deploy.sh'), 'deploy', stage], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_ASSEMBLY: assembly, CDK_OUTPUTS_FILE: join(work, 'outputs.json') },
    timeout: STEP_TIMEOUT_MS,
  });
  if (result.status !== 0 && !expectFailure) console.error(result.stdout + result.stderr);
  return { status: result.status, stdout: result.stdout + result.stderr };
}

function run(what, command, args, cwd) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: process.env,
    timeout: STEP_TIMEOUT_MS,
  });
  if (result.status !== 0) {
    throw new Error(`${what} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
  step(`${what}: ok`);
}

function lastLine(result, pattern = /.+/) {
  const lines = result.stdout.split('\n').filter((l) => pattern.test(l));
  return (lines.at(-1) ?? '').trim().slice(0, 300);
}

/** Every resource of the stage's stacks: `<stack>/<logical id>` → physical id and statefulness. */
async function physicalIds() {
  const out = {};
  for (const stack of Object.values(stacks)) {
    for (const [id, r] of Object.entries(await stackResources(stack))) {
      out[`${stack}/${id}`] = {
        physical: r.PhysicalResourceId,
        stateful: STATEFUL_TYPES.includes(r.ResourceType),
      };
    }
  }
  return out;
}

/** The code and version behind a function's `live` alias. */
async function liveCode(fn) {
  const lambda = new LambdaClient({});
  const alias = await lambda.send(
    new GetAliasCommand({ FunctionName: `${prefix}-${fn}`, Name: 'live' }),
  );
  const config = await lambda.send(
    new GetFunctionConfigurationCommand({
      FunctionName: `${prefix}-${fn}`,
      Qualifier: alias.FunctionVersion,
    }),
  );
  return { version: alias.FunctionVersion, sha: config.CodeSha256 };
}
