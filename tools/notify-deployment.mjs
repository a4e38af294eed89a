// Publishes a deployment's result to the deployments SNS topic (with the AWS CLI and the
// job's credentials), for people and chat integrations subscribed to it.
//
// Reads: DEPLOYMENTS_TOPIC_ARN (skips, saying so, when empty), DEPLOY_ENVIRONMENT,
// DEPLOY_VERSION, DEPLOY_COMMIT, DEPLOY_OUTCOME (success | failure | cancelled), DEPLOY_RUN_URL.
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const env = process.env;
const say = (line) => {
  console.log(line);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${line}\n`);
};

const result = {
  environment: env.DEPLOY_ENVIRONMENT ?? 'unknown',
  version: env.DEPLOY_VERSION ?? 'unknown',
  commit: env.DEPLOY_COMMIT ?? 'unknown',
  outcome: env.DEPLOY_OUTCOME ?? 'unknown',
  link: env.DEPLOY_RUN_URL ?? '',
};
const subject = `Security Assistant ${result.environment} deployment ${result.outcome}: ${result.version}`;

if (!env.DEPLOYMENTS_TOPIC_ARN) {
  say(`Notification skipped: no DEPLOYMENTS_TOPIC_ARN variable is set. (${subject})`);
  process.exit(0);
}
const message = [
  subject,
  `environment: ${result.environment}`,
  `version: ${result.version}`,
  `commit: ${result.commit}`,
  `outcome: ${result.outcome}`,
  `run: ${result.link}`,
  '',
  JSON.stringify(result),
].join('\n');
execFileSync(
  'aws',
  ['sns', 'publish', '--topic-arn', env.DEPLOYMENTS_TOPIC_ARN, '--subject', subject.slice(0, 99), '--message', message],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
say(`Notified ${env.DEPLOYMENTS_TOPIC_ARN}: ${subject}`);
