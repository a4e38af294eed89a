import { App, AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { environments } from './environments';
import { PlatformStack } from './platform-stack';

/**
 * The app with one stack per environment, checked by cdk-nag's AwsSolutions pack during
 * synthesis: an unacknowledged finding fails `cdk synth` and `cdk deploy`.
 */
export function createApp(props?: AppProps): App {
  const app = new App(props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  for (const environment of environments((key) => app.node.tryGetContext(key))) {
    new PlatformStack(app, environment.stackName, { environment, env });
  }
  return app;
}
