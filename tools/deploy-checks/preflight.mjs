// preflight.mjs <stage>: read-only calls against the target account that predict why the
// first deploy of a stage would fail, one line per check: `ok`, `warn` (the deploy works, but
// something will not) or `FAIL` with the fix. Exits 1 when a check fails or could not run, so
// the deploy workflow stops before CloudFormation starts.
// It reads the synthesized stage from CDK_ASSEMBLY (default packages/app/cdk.out).
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APIGatewayClient, GetApiKeysCommand } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CostExplorerClient,
  GetAnomalyMonitorsCommand,
  ListCostAllocationTagsCommand,
} from '@aws-sdk/client-cost-explorer';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { stackResources } from './verify-stack.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Lambda keeps this much of the account's concurrency unreserved, whatever is asked. */
export const UNRESERVED_FLOOR = 100;
/** The cost allocation tag the budget and the anomaly monitor filter on. */
const COST_TAG = 'Environment';

/** The SDK clients the checks call; tests pass their own. */
export function defaultClients() {
  return {
    cloudformation: new CloudFormationClient({}),
    ssm: new SSMClient({}),
    costExplorer: new CostExplorerClient({}),
    lambda: new LambdaClient({}),
    logs: new CloudWatchLogsClient({}),
    dynamodb: new DynamoDBClient({}),
    sns: new SNSClient({}),
    sqs: new SQSClient({ useQueueUrlAsEndpoint: false }),
    apigateway: new APIGatewayClient({}),
    chatbot: chatbotClient(),
  };
}

/** AWS Chatbot's DescribeSlackWorkspaces (POST /describe-slack-workspaces, JSON). */
export class DescribeSlackWorkspacesCommand {
  constructor(input = {}) {
    this.input = input;
  }
}

/** sha256 and HMAC-sha256 for the signer, from node:crypto. */
class NodeSha256 {
  constructor(secret) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

/**
 * A client for the one Chatbot call the preflight makes, signed with SigV4 by hand: the SDK's
 * Chatbot client is no longer released, and its old Smithy packages, hoisted into the
 * workspace, changed what the handler bundles resolve. The endpoint is
 * `AWS_ENDPOINT_URL_CHATBOT`, else the regional one.
 */
function chatbotClient() {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const signer = new SignatureV4({
    service: 'chatbot',
    region,
    credentials: defaultProvider(),
    sha256: NodeSha256,
  });
  return {
    send: async (command) => {
      const endpoint = new URL(
        process.env.AWS_ENDPOINT_URL_CHATBOT ??
          process.env.AWS_ENDPOINT_URL ??
          `https://chatbot.${region}.amazonaws.com`,
      );
      const body = JSON.stringify(command.input);
      const signed = await signer.sign({
        method: 'POST',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        port: endpoint.port ? Number(endpoint.port) : undefined,
        path: '/describe-slack-workspaces',
        headers: { host: endpoint.host, 'content-type': 'application/json' },
        body,
      });
      const res = await fetch(new URL('/describe-slack-workspaces', endpoint), {
        method: 'POST',
        headers: signed.headers,
        body,
      });
      const text = await res.text();
      if (!res.ok) {
        const err = new Error(
          `Chatbot DescribeSlackWorkspaces answered ${res.status}: ${text.slice(0, 200)}`,
        );
        err.name = res.headers.get('x-amzn-errortype')?.split(':')[0] ?? 'ChatbotError';
        throw err;
      }
      return JSON.parse(text);
    },
  };
}

/** The stage's stacks in a cloud assembly: name → { template, properties }. */
export function readStage(assemblyDir, stage) {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8'));
  const stacks = {};
  for (const name of [
    'SecurityAssistant-account',
    `SecurityAssistant-${stage}-data`,
    `SecurityAssistant-${stage}-service`,
  ]) {
    const artifact = manifest.artifacts?.[name];
    if (!artifact) throw new Error(`${assemblyDir} has no stack ${name}: synthesize the app first`);
    const template = JSON.parse(
      readFileSync(join(assemblyDir, artifact.properties.templateFile), 'utf8'),
    );
    stacks[name] = { template, properties: artifact.properties };
  }
  return stacks;
}

const resourcesOf = (stacks, type) =>
  Object.entries(stacks).flatMap(([stack, { template }]) =>
    Object.entries(template.Resources ?? {})
      .filter(([, r]) => r.Type === type)
      .map(([id, r]) => ({ stack, id, p: r.Properties ?? {} })),
  );
const isNotFound = (err) =>
  /NotFound|NonExistent|does not exist/i.test(`${err.name} ${err.message}`);

/** Each check: its name and how it reads the account. Returns `{ status, message }`. */
const CHECKS = [
  [
    'bootstrap stack',
    async ({ stacks, c }) => {
      const required = Math.max(
        ...Object.values(stacks).map((s) => s.properties.requiresBootstrapStackVersion ?? 0),
      );
      const parameter =
        Object.values(stacks)[0].properties.bootstrapStackVersionSsmParameter ??
        '/cdk-bootstrap/hnb659fds/version';
      try {
        const { Parameter } = await c.ssm.send(new GetParameterCommand({ Name: parameter }));
        const found = Number(Parameter?.Value);
        return found >= required
          ? { status: 'ok', message: `version ${found} (the stacks need ${required})` }
          : {
              status: 'FAIL',
              message: `version ${found}, the stacks need ${required}: run \`npx cdk bootstrap aws://<account>/<region>\` again to upgrade it`,
            };
      } catch (err) {
        if (!isNotFound(err)) throw err;
        return {
          status: 'FAIL',
          message: `not bootstrapped (no ${parameter}): run \`npx cdk bootstrap aws://<account>/<region>\` first`,
        };
      }
    },
  ],
  [
    'cost anomaly monitors',
    async ({ stacks, c }) => {
      const ours = resourcesOf(stacks, 'AWS::CE::AnomalyMonitor');
      const { AnomalyMonitors = [] } = await c.costExplorer.send(new GetAnomalyMonitorsCommand({}));
      const clashes = ours
        .filter((m) => m.p.MonitorType === 'DIMENSIONAL')
        .flatMap((m) =>
          AnomalyMonitors.filter(
            (e) => e.MonitorType === 'DIMENSIONAL' && e.MonitorDimension === m.p.MonitorDimension,
          ).map(
            (e) =>
              `${m.id} (${m.p.MonitorDimension}) clashes with ${e.MonitorName} ${e.MonitorArn}`,
          ),
        );
      if (clashes.length) {
        return {
          status: 'FAIL',
          message: `${clashes.join('; ')}: an account holds one dimensional monitor per dimension; subscribe the existing one with costAnomalyMonitorArn`,
        };
      }
      const services = AnomalyMonitors.find(
        (e) => e.MonitorType === 'DIMENSIONAL' && e.MonitorDimension === 'SERVICE',
      );
      const made = ours.map((m) => `${m.p.MonitorType} ${m.p.MonitorName}`).join(', ') || 'none';
      return {
        status: 'ok',
        message: `the stage creates ${made}; no dimensional clash (${AnomalyMonitors.length} in the account${services ? `; the services monitor ${services.MonitorArn} can be given as costAnomalyMonitorArn` : ''})`,
      };
    },
  ],
  [
    'Lambda concurrency',
    async ({ stacks, c }) => {
      const provisioned = resourcesOf(stacks, 'AWS::Lambda::Alias').reduce(
        (n, a) => n + (a.p.ProvisionedConcurrencyConfig?.ProvisionedConcurrentExecutions ?? 0),
        0,
      );
      const reserved = resourcesOf(stacks, 'AWS::Lambda::Function').reduce(
        (n, f) => n + (f.p.ReservedConcurrentExecutions ?? 0),
        0,
      );
      const { AccountLimit = {} } = await c.lambda.send(new GetAccountSettingsCommand({}));
      const limit = AccountLimit.ConcurrentExecutions ?? 0;
      const unreserved = AccountLimit.UnreservedConcurrentExecutions ?? limit;
      const asked = provisioned + reserved;
      if (asked > 0 && unreserved - asked < UNRESERVED_FLOOR) {
        const raiseTo = limit - unreserved + asked + UNRESERVED_FLOOR;
        return {
          status: 'FAIL',
          message: `the stage provisions ${provisioned} and reserves ${reserved}, but the account's concurrency is ${limit} (${unreserved} unreserved) and Lambda keeps ${UNRESERVED_FLOOR} unreserved: raise the Lambda quota "Concurrent executions" (L-B99A9384) to at least ${raiseTo}, or deploy with provisionedConcurrency 0 in context security-assistant:<stage>`,
        };
      }
      return {
        status: 'ok',
        message: `account concurrency ${limit} (${unreserved} unreserved); the stage provisions ${provisioned} and reserves ${reserved}`,
      };
    },
  ],
  [
    'names already taken',
    async ({ stacks, c }) => {
      const owned = await physicalIdsOfStacks(c, Object.keys(stacks));
      const taken = [];
      const probe = async (kind, name, exists) => {
        if (typeof name !== 'string' || owned.has(name)) return;
        if (await exists(name)) taken.push(`${kind} ${name}`);
      };
      for (const g of resourcesOf(stacks, 'AWS::Logs::LogGroup')) {
        await probe('log group', g.p.LogGroupName, async (n) =>
          (
            await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: n }))
          ).logGroups?.some((l) => l.logGroupName === n),
        );
      }
      for (const t of resourcesOf(stacks, 'AWS::DynamoDB::Table')) {
        await probe('table', t.p.TableName, (n) =>
          c.dynamodb.send(new DescribeTableCommand({ TableName: n })).then(
            () => true,
            (e) => (isNotFound(e) ? false : Promise.reject(e)),
          ),
        );
      }
      const topics = await listTopicNames(c);
      for (const t of resourcesOf(stacks, 'AWS::SNS::Topic'))
        await probe('topic', t.p.TopicName, async (n) => topics.has(n));
      for (const q of resourcesOf(stacks, 'AWS::SQS::Queue')) {
        await probe('queue', q.p.QueueName, (n) =>
          c.sqs.send(new GetQueueUrlCommand({ QueueName: n })).then(
            () => true,
            (e) => (isNotFound(e) ? false : Promise.reject(e)),
          ),
        );
      }
      for (const k of resourcesOf(stacks, 'AWS::ApiGateway::ApiKey')) {
        // a key's physical id is its id, not its name
        await probe('API key', k.p.Name, async (n) =>
          ((await c.apigateway.send(new GetApiKeysCommand({ nameQuery: n }))).items ?? []).some(
            (i) => i.name === n && !owned.has(i.id),
          ),
        );
      }
      return taken.length
        ? {
            status: 'FAIL',
            message: `already exist outside the stacks: ${taken.join(', ')}. Left by an earlier failed deploy or another tool: delete them (after keeping what you need), or choose another namePrefix`,
          }
        : { status: 'ok', message: 'no fixed name of the stage is taken outside its stacks' };
    },
  ],
  [
    'cost allocation tag',
    async ({ stacks, c }) => {
      if (
        !resourcesOf(stacks, 'AWS::Budgets::Budget').length &&
        !resourcesOf(stacks, 'AWS::CE::AnomalyMonitor').length
      ) {
        return { status: 'ok', message: 'the stage has no budget or tagged monitor' };
      }
      const { CostAllocationTags = [] } = await c.costExplorer.send(
        new ListCostAllocationTagsCommand({ TagKeys: [COST_TAG], Type: 'UserDefined' }),
      );
      const status = CostAllocationTags.find((t) => t.TagKey === COST_TAG)?.Status;
      // not a failure: the tag can only be activated once tagged resources exist, i.e. after
      // the first deploy; until then the budget and the monitor count nothing
      return status === 'Active'
        ? { status: 'ok', message: `${COST_TAG} is an active cost allocation tag` }
        : {
            status: 'warn',
            message: `${COST_TAG} is ${status ? status.toLowerCase() : 'not yet known'} as a cost allocation tag, so the budget and the anomaly monitor count nothing: activate it (Billing > Cost allocation tags, or \`aws ce update-cost-allocation-tags-status --cost-allocation-tags-status TagKey=${COST_TAG},Status=Active\`) once the first deploy has tagged resources`,
          };
    },
  ],
  [
    'Slack workspace',
    async ({ stacks, c }) => {
      const channels = resourcesOf(stacks, 'AWS::Chatbot::SlackChannelConfiguration');
      if (!channels.length) return { status: 'ok', message: 'no AWS Chatbot channel' };
      const { SlackWorkspaces = [] } = await c.chatbot.send(new DescribeSlackWorkspacesCommand({}));
      const missing = channels
        .map((ch) => ch.p.SlackWorkspaceId)
        .filter((id) => !SlackWorkspaces.some((w) => w.SlackTeamId === id));
      return missing.length
        ? {
            status: 'FAIL',
            message: `Slack workspace ${missing.join(', ')} is not authorized for AWS Chatbot in this account: authorize it in the AWS Chatbot console (a one-time OAuth step) first`,
          }
        : {
            status: 'ok',
            message: `Slack workspace ${channels.map((ch) => ch.p.SlackWorkspaceId).join(', ')} is authorized`,
          };
    },
  ],
];

async function physicalIdsOfStacks(c, names) {
  const ids = new Set();
  for (const StackName of names) {
    try {
      await c.cloudformation.send(new DescribeStacksCommand({ StackName }));
    } catch (err) {
      if (/does not exist/.test(err.message)) continue;
      throw err;
    }
    for (const r of Object.values(await stackResources(StackName, c.cloudformation))) {
      ids.add(r.PhysicalResourceId);
      // a queue's physical id is its URL, a topic's its ARN: their names count too
      ids.add(String(r.PhysicalResourceId).split(/[/:]/).pop());
    }
  }
  return ids;
}

async function listTopicNames(c) {
  const names = new Set();
  let NextToken;
  do {
    const page = await c.sns.send(new ListTopicsCommand({ NextToken }));
    for (const t of page.Topics ?? []) names.add(t.TopicArn.split(':').pop());
    NextToken = page.NextToken;
  } while (NextToken);
  return names;
}

/**
 * Runs every check; a check that throws is reported as not run, which fails the preflight.
 * @returns {Promise<{ results: { check: string, status: string, message: string }[], passed: boolean }>}
 */
export async function runPreflight({ stage, assemblyDir, clients = defaultClients() }) {
  const stacks = readStage(assemblyDir, stage);
  const results = [];
  for (const [check, run] of CHECKS) {
    try {
      results.push({ check, ...(await run({ stacks, c: clients })) });
    } catch (err) {
      results.push({
        check,
        status: 'FAIL',
        message: `could not check: ${err.name}: ${err.message}`,
      });
    }
  }
  return { results, passed: results.every((r) => r.status !== 'FAIL') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const stage = process.argv[2];
  if (!['dev', 'staging', 'prod'].includes(stage)) {
    console.error('usage: preflight.mjs dev|staging|prod');
    process.exit(2);
  }
  const assemblyDir = process.env.CDK_ASSEMBLY || join(ROOT, 'packages', 'app', 'cdk.out');
  if (!existsSync(join(assemblyDir, 'manifest.json'))) {
    console.error(
      `preflight: no cloud assembly in ${assemblyDir}: run \`npx projen synth\` or set CDK_ASSEMBLY`,
    );
    process.exit(2);
  }
  const { results, passed } = await runPreflight({ stage, assemblyDir });
  for (const r of results)
    console.log(`preflight ${stage}: ${r.status.padEnd(4)} ${r.check}: ${r.message}`);
  console.log(
    `preflight ${stage}: ${passed ? 'passed' : 'FAILED: fix the lines marked FAIL before deploying'}`,
  );
  process.exit(passed ? 0 : 1);
}
