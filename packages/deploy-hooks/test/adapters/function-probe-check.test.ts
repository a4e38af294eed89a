import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { DEPLOYMENT_PROBE_EVENT } from '@security-assistant/layer-common';
import { mockClient } from 'aws-sdk-client-mock';
import { FunctionProbeCheck } from '../../src/adapters/function-probe-check';
import { CheckFailedError } from '../../src/errors';

// moto's Lambda does not run function code, so Invoke is mocked with aws-sdk-client-mock.
const lambdaMock = mockClient(LambdaClient);
const VERSION_ARN =
  'arn:aws:lambda:eu-west-1:123456789012:function:security-assistant-dev-status:3';

const payload = (value: unknown) =>
  new TextEncoder().encode(
    typeof value === 'string' ? value : JSON.stringify(value),
  ) as InvokeCommandOutput['Payload'];

const check = () => new FunctionProbeCheck(new LambdaClient({}), VERSION_ARN);
const live = () => new AbortController().signal;

beforeEach(() => lambdaMock.reset());

describe('FunctionProbeCheck', () => {
  it('passes when the version answers the probe with ok: true', async () => {
    // Given the new version answers the probe
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: payload({ ok: true, service: 'status', version: '0.1.0' }),
    });

    // When the check runs
    await check().run(live());

    // Then it invoked exactly that version, synchronously, with the probe event
    const calls = lambdaMock.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input).toMatchObject({ FunctionName: VERSION_ARN, InvocationType: 'RequestResponse' });
    expect(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))).toEqual(
      DEPLOYMENT_PROBE_EVENT,
    );
  });

  it('fails when the invocation reports a FunctionError', async () => {
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'ConfigError', errorMessage: 'TABLE_NAME is required' }),
    });

    const run = check().run(live());

    await expect(run).rejects.toBeInstanceOf(CheckFailedError);
    await expect(run).rejects.toThrow(/raised Unhandled: .*TABLE_NAME is required/);
  });

  it.each([
    ['ok is false', { ok: false }],
    ['ok is missing', { statusCode: 200 }],
    ['the payload is null', null],
  ])('fails when %s', async (_, answer) => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload(answer) });

    await expect(check().run(live())).rejects.toThrow(/did not answer ok/);
  });

  it('fails when the payload is not JSON', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload('<html>') });

    await expect(check().run(live())).rejects.toThrow(/non-JSON/);
  });

  it('passes its abort signal to the SDK call', async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ ok: true }) });
    const signal = live();

    await check().run(signal);

    // The mock's typings only name the command; sinon records the options too.
    const [, options] = lambdaMock.commandCalls(InvokeCommand)[0].args as unknown[];
    expect(options).toEqual({ abortSignal: signal });
  });
});
