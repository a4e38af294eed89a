import { App, AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ACCOUNT_STACK_NAME, environments } from './environments';
import { AccountStack, DataStack, ServiceStack } from './platform-stack';

/**
 * The app: per environment a data stack and a service stack, plus one account stack, checked
 * by cdk-nag's AwsSolutions pack during synthesis (an unacknowledged finding fails `cdk synth`
 * and `cdk deploy`). The stacks are environment-agnostic: account and region come from the
 * deploying credentials, never from the code or the machine that synthesizes.
 */
export function createApp(props?: AppProps): App {
  const app = new App(props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const account = new AccountStack(app, ACCOUNT_STACK_NAME, {
    description: 'Security Assistant Platform: account-wide settings (one per account and region)',
  });
  Validations.of(account).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason:
      'API Gateway execution logging needs the account-level CloudWatch role; AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for exactly that role.',
  });
  for (const environment of environments((key) => app.node.tryGetContext(key))) {
    const data = new DataStack(app, environment.dataStackName, {
      environment,
      description: `Security Assistant Platform ${environment.stage}: stateful resources`,
    });
    const service = new ServiceStack(app, environment.serviceStackName, {
      environment,
      data: data.data,
      description: `Security Assistant Platform ${environment.stage}: functions, API and deployments`,
    });
    service.addStackDependency(data);
  }
  return app;
}
