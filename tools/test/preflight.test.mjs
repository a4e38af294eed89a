// preflight:<stage> against moto (SSM, CloudFormation, CloudWatch Logs, DynamoDB, SNS, SQS,
// API Gateway) with a seeded conflict for every check: each check fails on its conflict and
// passes without it. moto lacks Cost Explorer's anomaly monitors and cost allocation tags,
// Lambda's GetAccountSettings and AWS Chatbot: those three clients are the account stand-in
// (tools/deploy-checks/account-stand-in.mjs), everything else is the emulator.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { APIGatewayClient, CreateApiKeyCommand } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { accountStandIn } from '../deploy-checks/account-stand-in.mjs';
import { defaultClients, runPreflight } from '../deploy-checks/preflight.mjs';

const { startMotoServer } = createRequire(import.meta.url)('../moto-server.cjs');
const config = () => ({
  endpoint: moto.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const P = 'security-assistant-prod';
const WORKSPACE = 'T0SLACKTEAM';

let moto;
let assemblyDir;

/** A cloud assembly of the prod stage with one resource of every kind a check reads. */
function writeAssembly(dir, { monitorType = 'DIMENSIONAL', provisioned = 2 } = {}) {
  const stacks = {
    'SecurityAssistant-account': {},
    'SecurityAssistant-prod-data': {
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: `${P}-jobs` } },
      Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: `${P}-alerts` } },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `${P}-processing` } },
    },
    'SecurityAssistant-prod-service': {
      HealthLogs: {
        Type: 'AWS::Logs::LogGroup',
        Properties: { LogGroupName: `/aws/lambda/${P}-health` },
      },
      ...Object.fromEntries(
        ['ProcessDrawing', 'Status', 'Health'].map((f) => [
          `${f}Alias`,
          {
            Type: 'AWS::Lambda::Alias',
            Properties: {
              Name: 'live',
              ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: provisioned },
            },
          },
        ]),
      ),
      ApiKey: { Type: 'AWS::ApiGateway::ApiKey', Properties: { Name: `${P}-api-key` } },
      Budget: { Type: 'AWS::Budgets::Budget', Properties: {} },
      Monitor: {
        Type: 'AWS::CE::AnomalyMonitor',
        Properties: {
          MonitorName: `${P}-cost`,
          MonitorType: monitorType,
          MonitorDimension: monitorType === 'DIMENSIONAL' ? 'SERVICE' : undefined,
        },
      },
      Slack: {
        Type: 'AWS::Chatbot::SlackChannelConfiguration',
        Properties: { SlackWorkspaceId: WORKSPACE },
      },
    },
  };
  const artifacts = {};
  for (const [name, Resources] of Object.entries(stacks)) {
    writeFileSync(join(dir, `${name}.template.json`), JSON.stringify({ Resources }));
    artifacts[name] = {
      type: 'aws:cloudformation:stack',
      properties: {
        templateFile: `${name}.template.json`,
        requiresBootstrapStackVersion: 6,
        bootstrapStackVersionSsmParameter: '/cdk-bootstrap/hnb659fds/version',
      },
    };
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '48.0.0', artifacts }));
  return dir;
}

/** An account where the prod stage deploys: bootstrapped, nothing taken, tag active. */
const CLEAN = {
  monitors: [],
  concurrency: { limit: 1000 },
  activeTags: ['Environment'],
  slackTeamIds: [WORKSPACE],
};

async function preflight({ account = CLEAN, dir = assemblyDir, clients: overrides = {} } = {}) {
  const clients = {
    cloudformation: new CloudFormationClient(config()),
    ssm: new SSMClient(config()),
    logs: new CloudWatchLogsClient(config()),
    dynamodb: new DynamoDBClient(config()),
    sns: new SNSClient(config()),
    sqs: new SQSClient({ ...config(), useQueueUrlAsEndpoint: false }),
    apigateway: new APIGatewayClient(config()),
    ...accountStandIn(account),
    ...overrides,
  };
  const { results, passed } = await runPreflight({ stage: 'prod', assemblyDir: dir, clients });
  return { passed, by: Object.fromEntries(results.map((r) => [r.check, r])) };
}

const bootstrap = (version = '30') =>
  new SSMClient(config()).send(
    new PutParameterCommand({
      Name: '/cdk-bootstrap/hnb659fds/version',
      Value: version,
      Type: 'String',
      Overwrite: true,
    }),
  );

before(async () => {
  moto = await startMotoServer();
  assemblyDir = writeAssembly(mkdtempSync(join(tmpdir(), 'preflight-')));
});
after(() => moto?.stop());
beforeEach(async () => {
  await fetch(`${moto.url}/moto-api/reset`, { method: 'POST' });
  await bootstrap();
});

describe('preflight', () => {
  test('passes in an account where the stage can deploy, one line per check', async () => {
    const { passed, by } = await preflight();
    assert.deepEqual(
      Object.values(by).map((r) => r.status),
      ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
    );
    assert.equal(passed, true);
  });

  test('fails on a missing or old bootstrap stack and says to bootstrap', async () => {
    await fetch(`${moto.url}/moto-api/reset`, { method: 'POST' });
    let { passed, by } = await preflight();
    assert.equal(passed, false);
    assert.match(by['bootstrap stack'].message, /not bootstrapped.*cdk bootstrap/);
    await bootstrap('5');
    ({ by } = await preflight());
    assert.match(by['bootstrap stack'].message, /version 5, the stacks need 6/);
  });

  test('fails when the account already has a dimensional monitor on the dimension the stage would create', async () => {
    const services = {
      MonitorArn: 'arn:aws:ce::000000000000:anomalymonitor/default',
      MonitorName: 'Default-Services-Monitor',
      MonitorType: 'DIMENSIONAL',
      MonitorDimension: 'SERVICE',
    };
    const { passed, by } = await preflight({ account: { ...CLEAN, monitors: [services] } });
    assert.equal(passed, false);
    assert.equal(by['cost anomaly monitors'].status, 'FAIL');
    assert.match(
      by['cost anomaly monitors'].message,
      /clashes with Default-Services-Monitor.*costAnomalyMonitorArn/,
    );
    // the platform's own choice, a CUSTOM monitor over its tag, does not clash
    const custom = writeAssembly(mkdtempSync(join(tmpdir(), 'preflight-')), {
      monitorType: 'CUSTOM',
    });
    const again = await preflight({ account: { ...CLEAN, monitors: [services] }, dir: custom });
    assert.equal(again.by['cost anomaly monitors'].status, 'ok');
    assert.match(
      again.by['cost anomaly monitors'].message,
      /can be given as costAnomalyMonitorArn/,
    );
  });

  test('fails when the account concurrency cannot hold the provisioned concurrency, naming the quota to ask for', async () => {
    const { passed, by } = await preflight({ account: { ...CLEAN, concurrency: { limit: 10 } } });
    assert.equal(passed, false);
    assert.match(
      by['Lambda concurrency'].message,
      /provisions 6 .* concurrency is 10 .* at least 106, or deploy with provisionedConcurrency 0/,
    );
    const none = writeAssembly(mkdtempSync(join(tmpdir(), 'preflight-')), { provisioned: 0 });
    assert.equal(
      (await preflight({ account: { ...CLEAN, concurrency: { limit: 10 } }, dir: none })).by[
        'Lambda concurrency'
      ].status,
      'ok',
    );
  });

  test('fails on every fixed name taken outside the stacks, and not on one its own stack holds', async () => {
    await new CloudWatchLogsClient(config()).send(
      new CreateLogGroupCommand({ logGroupName: `/aws/lambda/${P}-health` }),
    );
    await new DynamoDBClient(config()).send(
      new CreateTableCommand({
        TableName: `${P}-jobs`,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'job_id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'job_id', KeyType: 'HASH' }],
      }),
    );
    await new SNSClient(config()).send(new CreateTopicCommand({ Name: `${P}-alerts` }));
    await new SQSClient(config()).send(new CreateQueueCommand({ QueueName: `${P}-processing` }));
    await new APIGatewayClient(config()).send(new CreateApiKeyCommand({ name: `${P}-api-key` }));
    const { passed, by } = await preflight();
    assert.equal(passed, false);
    for (const taken of [
      `log group /aws/lambda/${P}-health`,
      `table ${P}-jobs`,
      `topic ${P}-alerts`,
      `queue ${P}-processing`,
      `API key ${P}-api-key`,
    ]) {
      assert.ok(
        by['names already taken'].message.includes(taken),
        `${taken} in: ${by['names already taken'].message}`,
      );
    }
  });

  test('does not count a name its own deployed stack holds', async () => {
    await new CloudFormationClient(config()).send(
      new CreateStackCommand({
        StackName: 'SecurityAssistant-prod-service',
        TemplateBody: JSON.stringify({
          Resources: {
            HealthLogs: {
              Type: 'AWS::Logs::LogGroup',
              Properties: { LogGroupName: `/aws/lambda/${P}-health` },
            },
          },
        }),
      }),
    );
    const { by } = await preflight();
    assert.equal(by['names already taken'].status, 'ok', by['names already taken'].message);
  });

  test('warns, without failing, while the cost allocation tag is not active', async () => {
    const { passed, by } = await preflight({ account: { ...CLEAN, activeTags: [] } });
    assert.equal(by['cost allocation tag'].status, 'warn');
    assert.match(by['cost allocation tag'].message, /update-cost-allocation-tags-status/);
    assert.equal(passed, true);
  });

  test('fails when the Chatbot channel names a Slack workspace the account has not authorized', async () => {
    const { passed, by } = await preflight({ account: { ...CLEAN, slackTeamIds: [] } });
    assert.equal(passed, false);
    assert.match(by['Slack workspace'].message, new RegExp(`${WORKSPACE} is not authorized`));
  });

  test('fails, never passes, a check that could not read the account', async () => {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_CHATBOT: moto.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    // moto serves no GetAccountSettings, anomaly monitors or Chatbot: the real clients
    // against it cannot read, and those checks fail saying so
    const { passed, by } = await preflight({
      account: CLEAN,
      clients: {
        lambda: new LambdaClient(config()),
        costExplorer: new CostExplorerClient(config()),
        // the preflight's own signed Chatbot client, pointed at the emulator
        chatbot: defaultClients().chatbot,
      },
    });
    assert.equal(passed, false);
    for (const check of ['Lambda concurrency', 'cost anomaly monitors', 'Slack workspace']) {
      assert.match(by[check].message, /^could not check: /, check);
    }
  });

  test('reads the Slack workspaces through its own SigV4-signed Chatbot call', async () => {
    const seen = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ SlackWorkspaces: [{ SlackTeamId: WORKSPACE, SlackTeamName: 'Ops' }] }),
        );
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_CHATBOT: `http://127.0.0.1:${server.address().port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    try {
      const { by } = await preflight({ clients: { chatbot: defaultClients().chatbot } });
      assert.equal(by['Slack workspace'].status, 'ok', by['Slack workspace'].message);
      assert.equal(seen.length, 1);
      assert.equal(seen[0].method, 'POST');
      assert.equal(seen[0].url, '/describe-slack-workspaces');
      assert.match(
        seen[0].auth,
        /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/chatbot\/aws4_request/,
      );
    } finally {
      server.close();
    }
  });
});
