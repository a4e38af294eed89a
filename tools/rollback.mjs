// `npx projen rollback:<stage> [-- --dry-run]`: takes a stage's functions back to what they
// ran before the last deployment.
//
//   - A deployment group with a deployment in flight: the deployment is stopped with
//     auto-rollback, and CodeDeploy shifts the `live` alias back itself.
//   - Otherwise each function's `live` alias is pointed at the version before the one it
//     serves (versions are retained, so it still exists) and any canary weights are cleared.
//
// It prints every action, and with --dry-run only what it would do. Names follow the
// construct's defaults (`security-assistant-<stage>-<function>`); --name-prefix overrides.
// The AWS clients take the usual environment (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_*).
import { parseArgs } from 'node:util';
import {
  CodeDeployClient,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import {
  GetAliasCommand,
  LambdaClient,
  UpdateAliasCommand,
  paginateListVersionsByFunction,
} from '@aws-sdk/client-lambda';

/** The functions behind `live` aliases, each with a deployment group of the same name. */
export const FUNCTIONS = ['process-drawing', 'status', 'health', 'processor', 'dlq-processor'];
const IN_FLIGHT = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];
const ALIAS = 'live';

/**
 * Plans and (unless dryRun) carries out the rollback; returns the actions, each a line of text.
 * `clients` are injectable for tests.
 */
export async function rollback({ stage, namePrefix, dryRun, clients, log = console.log }) {
  const prefix = namePrefix ?? `security-assistant-${stage}`;
  const codedeploy = clients?.codedeploy ?? new CodeDeployClient({});
  const lambda = clients?.lambda ?? new LambdaClient({});
  const application = `${prefix}-functions`;
  const actions = [];
  const act = async (line, run) => {
    actions.push(line);
    log(`${dryRun ? '[dry run] would ' : ''}${line}`);
    if (!dryRun) await run();
  };

  for (const fn of FUNCTIONS) {
    const group = `${prefix}-${fn}`;
    const { deployments = [] } = await codedeploy.send(
      new ListDeploymentsCommand({
        applicationName: application,
        deploymentGroupName: group,
        includeOnlyStatuses: IN_FLIGHT,
      }),
    );
    if (deployments.length > 0) {
      for (const deploymentId of deployments) {
        await act(`stop deployment ${deploymentId} of ${group} with rollback`, () =>
          codedeploy.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true })),
        );
      }
      continue;
    }
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: group, Name: ALIAS }));
    const current = Number(alias.FunctionVersion);
    const versions = [];
    for await (const page of paginateListVersionsByFunction(
      { client: lambda },
      { FunctionName: group },
    )) {
      for (const v of page.Versions ?? []) {
        if (/^\d+$/.test(v.Version ?? '')) versions.push(Number(v.Version));
      }
    }
    const previous = Math.max(...versions.filter((v) => v < current));
    if (!Number.isFinite(current) || !Number.isFinite(previous)) {
      log(
        `${group}: ${ALIAS} serves version ${alias.FunctionVersion}; no earlier version to go back to`,
      );
      continue;
    }
    await act(`point ${group}:${ALIAS} from version ${current} back to version ${previous}`, () =>
      lambda.send(
        new UpdateAliasCommand({
          FunctionName: group,
          Name: ALIAS,
          FunctionVersion: String(previous),
          RoutingConfig: { AdditionalVersionWeights: {} },
        }),
      ),
    );
  }
  if (actions.length === 0) log(`nothing to roll back in ${stage}`);
  return actions;
}

const invoked = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invoked) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, 'name-prefix': { type: 'string' } },
  });
  const [stage] = positionals;
  if (!['dev', 'staging', 'prod'].includes(stage)) {
    console.error(
      'usage: node tools/rollback.mjs <dev|staging|prod> [--dry-run] [--name-prefix P]',
    );
    process.exit(2);
  }
  rollback({ stage, namePrefix: values['name-prefix'], dryRun: values['dry-run'] }).catch((err) => {
    console.error(`rollback of ${stage} failed: ${err.message}`);
    process.exit(1);
  });
}
