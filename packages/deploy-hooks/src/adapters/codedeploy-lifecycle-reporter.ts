import {
  CodeDeployClient,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import type {
  HookExecution,
  HookStatus,
  LifecycleReporter,
} from '../pre-traffic/validate-deployment';

/** Reports a hook's status through CodeDeploy's PutLifecycleEventHookExecutionStatus. */
export class CodeDeployLifecycleReporter implements LifecycleReporter {
  constructor(private readonly client: CodeDeployClient) {}

  public async report(execution: HookExecution, status: HookStatus): Promise<void> {
    await this.client.send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: execution.deploymentId,
        lifecycleEventHookExecutionId: execution.lifecycleEventHookExecutionId,
        status,
      }),
    );
  }
}
