import { DEPLOYMENT_PROBE_EVENT, withDeploymentProbe } from '../../src';

describe('withDeploymentProbe', () => {
  const inner = jest.fn(async (event: { n: number }) => event.n * 2);
  const handler = withDeploymentProbe('status', inner);

  it('answers the deployment probe without running the handler', async () => {
    process.env.SERVICE_VERSION = '1.2.3';
    await expect(handler(DEPLOYMENT_PROBE_EVENT, {})).resolves.toEqual({
      ok: true,
      service: 'status',
      version: '1.2.3',
    });
    expect(inner).not.toHaveBeenCalled();
  });

  it('passes every other event to the handler', async () => {
    await expect(handler({ n: 21 }, {})).resolves.toBe(42);
    expect(inner).toHaveBeenCalledTimes(1);
  });
});
