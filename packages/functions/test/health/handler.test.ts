import { DEPLOYMENT_PROBE_EVENT } from '@security-assistant/layer-common';
import { loadHandler } from '../support/aws';
import { apiEvent, bodyOf, type ApiHandler } from '../support/http';

describe('GET /health', () => {
  test('reports ok with the release and stage it runs', async () => {
    const health = loadHandler<ApiHandler>('../../src/health/handler', {
      STAGE: 'staging',
      SERVICE_VERSION: '4.5.6',
    });

    const response = await health(apiEvent({ method: 'GET', path: '/health' }));

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ status: 'ok', version: '4.5.6', stage: 'staging' });
  });

  test('answers the deployment probe without business logic', async () => {
    const health = loadHandler<(e: unknown) => Promise<unknown>>('../../src/health/handler', {
      STAGE: 'dev',
      SERVICE_VERSION: '4.5.7',
    });

    expect(await health(DEPLOYMENT_PROBE_EVENT)).toEqual({
      ok: true,
      service: 'health',
      version: '4.5.7',
    });
  });

  test('fails to load when STAGE is not a known stage', () => {
    expect(() => loadHandler('../../src/health/handler', { STAGE: 'qa' })).toThrow(
      /STAGE must be one of/,
    );
  });
});
