import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, type ApiResponse } from './support/api';
import { drawingPdf } from './support/drawings';
import { eventually, startLocalPlatform, type RunningPlatform } from './support/local-platform';

jest.setTimeout(120_000);

// Two callers and a revoked one, as `--callers-file` takes them (the construct's callers prop).
const CALLERS = [
  { name: 'team-a' },
  { name: 'team-b', clients: ['Beta Corp'] },
  { name: 'retired', enabled: false },
];

let platform: RunningPlatform;
let api: Api;
let keyOf: Record<string, string>;

beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'callers-')), 'callers.json');
  writeFileSync(file, JSON.stringify(CALLERS));
  platform = await startLocalPlatform({}, 90_000, ['--callers-file', file]);
  api = new Api(platform.info);
  keyOf = Object.fromEntries(
    Object.entries(platform.info.callers).map(([name, { key }]) => [name, key]),
  );
});

afterAll(() => platform?.kill());

/** Every refusal is `{"error": {"code", "message"}}`. */
function expectRefusal(response: ApiResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
}

async function completedJob(apiKey: string, clientName: string): Promise<string> {
  const submitted = await api.submit(
    { pdf: await drawingPdf(['CR-01', 'D-101']), clientName, projectName: 'isolation' },
    apiKey,
  );
  expect(submitted.status).toBe(202);
  const jobId = submitted.body.job_id as string;
  await eventually(`job ${jobId} to complete`, async () => {
    const { body } = await api.status(jobId, apiKey);
    return body.status === 'completed' ? body : undefined;
  });
  return jobId;
}

describe('callers on the local platform', () => {
  test('prints a key for every caller, the revoked one marked', () => {
    expect(Object.keys(platform.info.callers).sort()).toEqual(['retired', 'team-a', 'team-b']);
    expect(platform.info.callers.retired.enabled).toBe(false);
    expect(new Set(Object.values(keyOf)).size).toBe(3);
  });

  test("B cannot read, list or download A's jobs", async () => {
    const jobId = await completedJob(keyOf['team-a'], 'Alpha Inc');
    const own = await api.status(jobId, keyOf['team-a']);

    // read: B gets what a job that does not exist gets
    const read = await api.status(jobId, keyOf['team-b']);
    const missing = await api.status('job_1700000000000_0123456789ab', keyOf['team-b']);
    expectRefusal(read, 404, 'JOB_NOT_FOUND');
    expectRefusal(missing, 404, 'JOB_NOT_FOUND');
    expect(read.body.error.message).toBe(`job ${jobId} does not exist`);

    // list: B sees none of A's jobs, with or without filters; A sees its own
    for (const query of [{}, { client_name: 'Alpha Inc' }, { status: 'completed' as const }]) {
      const listed = await api.listJobs(query, keyOf['team-b']);
      expect(listed.status).toBe(200);
      expect(listed.body.jobs.map((j: { job_id: string }) => j.job_id)).not.toContain(jobId);
    }
    const mine = await api.listJobs({ client_name: 'Alpha Inc' }, keyOf['team-a']);
    expect(mine.body.jobs.map((j: { job_id: string }) => j.job_id)).toContain(jobId);

    // download: links go to the owner only; B was given none above
    expect(own.body.result.download_url).toMatch(/^http/);
    expect(read.body.result).toBeUndefined();
  });

  test('a caller limited to some clients cannot submit for others, and nothing is kept', async () => {
    const refused = await api.submit(
      { pdf: await drawingPdf(['D-1']), clientName: 'Alpha Inc', projectName: 'p' },
      keyOf['team-b'],
    );
    expectRefusal(refused, 403, 'CLIENT_NOT_ALLOWED');
    const listed = await api.listJobs({ client_name: 'Alpha Inc' }, keyOf['team-b']);
    expect(listed.body.jobs).toEqual([]);
    await completedJob(keyOf['team-b'], 'Beta Corp');
  });

  test('a revoked key, an unknown key and no key get 403 on every route, in the error shape', async () => {
    for (const apiKey of [keyOf.retired, 'not-a-key', null]) {
      expectRefusal(await api.listJobs({}, apiKey), 403, 'INVALID_API_KEY');
      expectRefusal(
        await api.status('job_1700000000000_0123456789ab', apiKey),
        403,
        'INVALID_API_KEY',
      );
      expectRefusal(
        await api.submit(
          { pdf: await drawingPdf(['D-1']), clientName: 'x', projectName: 'y' },
          apiKey,
        ),
        403,
        'INVALID_API_KEY',
      );
    }
  });
});
