// rollback:<stage> against moto's Lambda (functions, versions, `live` aliases) and CodeDeploy
// (applications, deployment groups, deployments). moto has no StopDeployment: that one call
// goes to a recording stand-in, everything else to the emulator.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { FUNCTIONS, rollback } from '../rollback.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { startMotoServer } = createRequire(import.meta.url)('../moto-server.cjs');
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';
const prefix = 'security-assistant-staging';

let moto;
let lambda;
let codedeploy;
let roleArn;
const stopped = [];
/** moto for every CodeDeploy call but StopDeployment, which it lacks: recorded here. */
const codedeployWithStandIn = {
  send: (command) => {
    if (command.constructor.name === 'StopDeploymentCommand') {
      stopped.push(command.input);
      return Promise.resolve({ status: 'Pending' });
    }
    return codedeploy.send(command);
  },
};
const quiet = () => undefined;

before(async () => {
  moto = await startMotoServer();
  const config = { endpoint: moto.url, region, credentials };
  lambda = new LambdaClient(config);
  codedeploy = new CodeDeployClient(config);
  roleArn = await createRole(moto.url);
  await codedeploy.send(
    new CreateApplicationCommand({
      applicationName: `${prefix}-functions`,
      computePlatform: 'Lambda',
    }),
  );
  for (const fn of FUNCTIONS) {
    await codedeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: `${prefix}-functions`,
        deploymentGroupName: `${prefix}-${fn}`,
        serviceRoleArn: roleArn,
      }),
    );
  }
});

after(async () => {
  await moto?.stop();
});

/** A role for the functions (moto checks it exists), through IAM's query API. */
async function createRole(endpoint) {
  const body = new URLSearchParams({
    Action: 'CreateRole',
    Version: '2010-05-08',
    RoleName: 'rollback-test',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
  });
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // moto routes by the signing scope's service
      authorization: `AWS4-HMAC-SHA256 Credential=local/20260101/${region}/iam/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body,
  });
  const text = await res.text();
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(text)?.[1];
  assert.ok(res.ok && arn, `CreateRole on the emulator: ${res.status} ${text.slice(0, 300)}`);
  return arn;
}

/** Each function with versions 1..`versions` published and `live` on the newest. */
async function deployed(versions) {
  for (const fn of FUNCTIONS) {
    const name = `${prefix}-${fn}`;
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name })).catch(() => undefined);
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Role: roleArn,
        Handler: 'index.handler',
        Code: { ZipFile: Buffer.from('not run by the emulator') },
      }),
    );
    for (let v = 1; v <= versions; v++) {
      await lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: `release ${v}` }),
      );
      await lambda.send(
        new PublishVersionCommand({ FunctionName: name, Description: `release ${v}` }),
      );
    }
    await lambda.send(
      new CreateAliasCommand({
        FunctionName: name,
        Name: 'live',
        FunctionVersion: String(versions),
      }),
    );
  }
}

const liveVersion = async (fn) =>
  (await lambda.send(new GetAliasCommand({ FunctionName: `${prefix}-${fn}`, Name: 'live' })))
    .FunctionVersion;
const clients = () => ({ lambda, codedeploy: codedeployWithStandIn });

describe('rollback', () => {
  beforeEach(() => {
    stopped.length = 0;
  });

  test('with --dry-run, says what it would do and changes nothing', async () => {
    await deployed(3);
    const actions = await rollback({
      stage: 'staging',
      dryRun: true,
      clients: clients(),
      log: quiet,
    });
    assert.deepEqual(
      actions,
      FUNCTIONS.map((fn) => `point ${prefix}-${fn}:live from version 3 back to version 2`),
    );
    for (const fn of FUNCTIONS) assert.equal(await liveVersion(fn), '3');
  });

  test('points every live alias at the version before the one it serves', async () => {
    await deployed(3);
    await rollback({ stage: 'staging', dryRun: false, clients: clients(), log: quiet });
    for (const fn of FUNCTIONS) assert.equal(await liveVersion(fn), '2');
    // and again: one more step back
    await rollback({ stage: 'staging', dryRun: false, clients: clients(), log: quiet });
    for (const fn of FUNCTIONS) assert.equal(await liveVersion(fn), '1');
    assert.deepEqual(stopped, []);
  });

  test('stops an in-flight deployment with rollback instead of moving its alias', async () => {
    await deployed(2);
    const { deploymentId } = await codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: `${prefix}-functions`,
        deploymentGroupName: `${prefix}-processor`,
      }),
    );
    const lines = [];
    await rollback({
      stage: 'staging',
      dryRun: false,
      clients: clients(),
      log: (l) => lines.push(l),
    });
    assert.deepEqual(stopped, [{ deploymentId, autoRollbackEnabled: true }]);
    assert.equal(await liveVersion('processor'), '2'); // CodeDeploy moves it back, not us
    for (const fn of FUNCTIONS.filter((f) => f !== 'processor'))
      assert.equal(await liveVersion(fn), '1');
    assert.ok(
      lines.includes(`stop deployment ${deploymentId} of ${prefix}-processor with rollback`),
    );
  });

  test('says so when a live alias has no earlier version to go back to', async () => {
    await deployed(1);
    const lines = [];
    const actions = await rollback({
      stage: 'prod',
      namePrefix: prefix,
      dryRun: false,
      clients: clients(),
      log: (l) => lines.push(l),
    });
    // the processor's deployment from the previous test is still in flight on the emulator
    assert.deepEqual(
      actions.filter((a) => !a.startsWith('stop deployment')),
      [],
    );
    assert.ok(
      lines.some(
        (l) => l === `${prefix}-health: live serves version 1; no earlier version to go back to`,
      ),
    );
  });

  test('runs as a command: --dry-run prints its plan, an unknown stage is refused', async () => {
    await deployed(2);
    const env = {
      ...process.env,
      AWS_ENDPOINT_URL: moto.url,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    };
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['tools/rollback.mjs', 'staging', '--dry-run'], {
      cwd: ROOT,
      env,
    });
    assert.match(
      stdout,
      /\[dry run\] would point security-assistant-staging-status:live from version 2 back to version 1/,
    );
    assert.equal(await liveVersion('status'), '2');
    await assert.rejects(
      run(process.execPath, ['tools/rollback.mjs', 'qa'], { cwd: ROOT, env }),
      (err) => {
        assert.equal(err.code, 2);
        assert.match(err.stderr, /usage: node tools\/rollback.mjs <dev\|staging\|prod>/);
        return true;
      },
    );
  });
});
