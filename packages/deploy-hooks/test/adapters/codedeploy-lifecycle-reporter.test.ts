import {
  CodeDeployClient,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { CodeDeployLifecycleReporter } from '../../src/adapters/codedeploy-lifecycle-reporter';

// moto has no PutLifecycleEventHookExecutionStatus, so CodeDeploy is mocked with aws-sdk-client-mock.
const codedeployMock = mockClient(CodeDeployClient);

beforeEach(() => codedeployMock.reset());

describe('CodeDeployLifecycleReporter', () => {
  it.each(['Succeeded', 'Failed'] as const)('reports %s for the hook execution', async (status) => {
    codedeployMock.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});

    await new CodeDeployLifecycleReporter(new CodeDeployClient({})).report(
      { deploymentId: 'd-ABC', lifecycleEventHookExecutionId: 'exec-1' },
      status,
    );

    const calls = codedeployMock.commandCalls(PutLifecycleEventHookExecutionStatusCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([
      { deploymentId: 'd-ABC', lifecycleEventHookExecutionId: 'exec-1', status },
    ]);
  });

  it('lets a CodeDeploy error reach the caller', async () => {
    codedeployMock.on(PutLifecycleEventHookExecutionStatusCommand).rejects(new Error('throttled'));

    await expect(
      new CodeDeployLifecycleReporter(new CodeDeployClient({})).report(
        { deploymentId: 'd-ABC', lifecycleEventHookExecutionId: 'exec-1' },
        'Failed',
      ),
    ).rejects.toThrow('throttled');
  });
});
