import { Api } from './support/api';
import { drawingPdf } from './support/drawings';
import {
  answers,
  eventually,
  startLocalPlatform,
  type RunningPlatform,
} from './support/local-platform';

jest.setTimeout(120_000);

// The default runs DynamoDB, SQS and S3 in emulator processes of their own; one emulator for
// every service (LOCAL_EMULATORS=single) must still carry a job end to end.
let platform: RunningPlatform;

beforeAll(async () => {
  platform = await startLocalPlatform({ LOCAL_EMULATORS: 'single' });
});

afterAll(() => platform?.kill());

describe('the local platform with LOCAL_EMULATORS=single', () => {
  it('serves every service from one emulator and completes a job, printing its EMF metrics', async () => {
    const { awsEndpoint, endpoints } = platform.info;
    expect(new Set(Object.values(endpoints))).toEqual(new Set([awsEndpoint]));
    expect(Object.keys(endpoints).sort()).toEqual(['dynamodb', 's3', 'sns', 'sqs']);

    const api = new Api(platform.info);
    const submitted = await api.submit({
      pdf: await drawingPdf(['DOOR D-1', 'CAMERA CAM-1']),
      clientName: 'e2e-single-emulator',
      projectName: 'One emulator',
    });
    expect(submitted.status).toBe(202);
    const job = await eventually('the job to finish', async () => {
      const view = (await api.status(submitted.body.job_id)).body;
      return ['completed', 'failed'].includes(view.status) ? view : undefined;
    });
    expect(job).toMatchObject({ status: 'completed', result: { total_components: 2 } });

    // the unchanged handlers print their metrics as EMF lines
    const emf = await eventually('the job metrics', async () => {
      const lines = platform.logs.filter((l) => l._aws);
      return lines.some((l) => 'JobsCompleted' in l) ? lines : undefined;
    });
    const names = new Set(emf.flatMap((l) => Object.keys(l)));
    for (const name of ['JobsSubmitted', 'JobsCompleted', 'JobDuration', 'StageDuration']) {
      expect(names).toContain(name);
    }
    for (const line of emf) {
      expect(line).toMatchObject({
        stage: 'dev',
        _aws: { CloudWatchMetrics: [expect.objectContaining({ Namespace: 'SecurityAssistant' })] },
      });
    }

    await platform.stop(10_000);
    expect(await answers(`${awsEndpoint}/moto-api/`)).toBe(false);
  });
});
