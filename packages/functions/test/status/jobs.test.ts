import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Job, JobStatus } from '@security-assistant/layer-common';
import {
  createTestPlatform,
  documents,
  emptyPlatform,
  loadHandler,
  type TestPlatform,
} from '../support/aws';
import { apiEvent, bodyOf, type ApiHandler } from '../support/http';

let platform: TestPlatform;
let status: ApiHandler;

beforeAll(async () => {
  platform = await createTestPlatform();
  status = loadHandler('../../src/status/handler', platform.env);
});

afterEach(() => emptyPlatform(platform));

const listJobs = (query: Record<string, string>, apiKeyId = 'key-a') =>
  status(apiEvent({ method: 'GET', path: '/jobs', query, apiKeyId }));

/**
 * Stores `count` jobs of `client` owned by `owner`, one minute apart from `start`, cycling
 * through `statuses`.
 */
async function storeJobs(
  client: string,
  count: number,
  statuses: JobStatus[],
  start = 0,
  owner: string | null = 'team-a',
) {
  const jobs: Job[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(Date.UTC(2026, 10, 1, 9, start + i)).toISOString();
    const job: Job = {
      job_id: `job_${Date.UTC(2026, 10, 1, 9, start + i)}_${i.toString(16).padStart(12, '0')}`,
      status: statuses[i % statuses.length],
      client_name: client,
      project_name: `project ${i}`,
      drawing_key: `drawings/x/${i}.pdf`,
      created_at: at,
      updated_at: at,
      stages_completed: [],
      expires_at: 2_000_000_000,
      ...(owner ? { owner } : {}),
    };
    await documents.send(new PutCommand({ TableName: platform.tableName, Item: job }));
    jobs.push(job);
  }
  return jobs;
}

/** Every page of a listing, following next_token. */
async function allPages(query: Record<string, string>) {
  const pages: any[] = [];
  let token: string | null = null;
  do {
    const response = await listJobs({ ...query, ...(token ? { next_token: token } : {}) });
    expect(response.statusCode).toBe(200);
    const page = bodyOf(response);
    pages.push(page);
    token = page.next_token;
  } while (token && pages.length < 50);
  return pages;
}

describe('GET /jobs', () => {
  test('lists a client’s jobs newest first, one per page with limit=1, to the end', async () => {
    const jobs = await storeJobs('Acme', 4, ['queued', 'completed']);
    await storeJobs('Other', 2, ['queued'], 10);

    const pages = await allPages({ client_name: 'Acme', limit: '1' });

    const listed = pages.flatMap((p) => p.jobs);
    expect(listed.map((j: any) => j.job_id)).toEqual(jobs.map((j) => j.job_id).reverse());
    expect(pages.every((p) => p.jobs.length <= 1)).toBe(true);
    expect(pages[pages.length - 1].next_token).toBeNull();
    expect(listed[0]).toEqual({
      job_id: jobs[3].job_id,
      status: 'completed',
      client_name: 'Acme',
      project_name: 'project 3',
      created_at: jobs[3].created_at,
      updated_at: jobs[3].updated_at,
    });
  });

  test('lists by status across clients, and by client and status together', async () => {
    await storeJobs('Acme', 4, ['queued', 'failed']);
    await storeJobs('Other', 3, ['failed'], 10);

    const failed = (await allPages({ status: 'failed' })).flatMap((p) => p.jobs);
    const acmeFailed = (
      await allPages({ status: 'failed', client_name: 'Acme', limit: '1' })
    ).flatMap((p) => p.jobs);

    expect(failed).toHaveLength(5);
    expect(failed.map((j: any) => j.created_at)).toEqual(
      [...failed.map((j: any) => j.created_at)].sort().reverse(),
    );
    expect(acmeFailed.map((j: any) => [j.client_name, j.status])).toEqual([
      ['Acme', 'failed'],
      ['Acme', 'failed'],
    ]);
  });

  test('defaults to 25 per page', async () => {
    await storeJobs('Many', 27, ['queued']);

    const first = bodyOf(await listJobs({ client_name: 'Many' }));

    expect(first.jobs).toHaveLength(25);
    expect(first.next_token).toEqual(expect.any(String));
  });

  test('answers an empty page for a client with no jobs', async () => {
    expect(bodyOf(await listJobs({ client_name: 'Nobody' }))).toEqual({
      jobs: [],
      next_token: null,
    });
  });

  test.each([
    [{ status: 'bogus' }, 'INVALID_PARAMETER'],
    [{ client_name: 'Acme', limit: '0' }, 'INVALID_PARAMETER'],
    [{ client_name: 'Acme', limit: '101' }, 'INVALID_PARAMETER'],
    [{ client_name: 'Acme', limit: 'ten' }, 'INVALID_PARAMETER'],
    [{ client_name: 'Acme', limit: '-1' }, 'INVALID_PARAMETER'],
    [{ client_name: 'Acme', next_token: 'not a token!' }, 'INVALID_PARAMETER'],
    [
      { client_name: 'Acme', next_token: Buffer.from('{"k":[]}').toString('base64url') },
      'INVALID_PARAMETER',
    ],
    [{ client_name: 'Acme', colour: 'red' }, 'INVALID_PARAMETER'],
  ])('refuses %j with 400 %s', async (query, code) => {
    const response = await listJobs(query as Record<string, string>);

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual({ error: { code, message: expect.any(String) } });
  });

  test("lists only the caller's own jobs: all of them without a filter, never another caller's", async () => {
    const own = await storeJobs('Acme', 2, ['queued']);
    await storeJobs('Acme', 3, ['queued'], 10, 'team-b');
    await storeJobs('Acme', 1, ['completed'], 20, null); // from before owners

    const mine = bodyOf(await listJobs({}));
    const theirs = bodyOf(await listJobs({ client_name: 'Acme' }, 'key-b'));

    expect(mine.jobs.map((j: any) => j.job_id)).toEqual(own.map((j) => j.job_id).reverse());
    expect(theirs.jobs).toHaveLength(3);
    expect(theirs.jobs.map((j: any) => j.job_id)).not.toContain(own[0].job_id);
  });

  test("refuses another caller's token, and an unknown caller", async () => {
    await storeJobs('Acme', 3, ['queued']);
    const { next_token: token } = bodyOf(await listJobs({ client_name: 'Acme', limit: '1' }));

    const replayed = await listJobs({ client_name: 'Acme', next_token: token }, 'key-b');
    const stranger = await listJobs({}, 'key-nobody');

    expect(replayed.statusCode).toBe(400);
    expect(bodyOf(replayed).error.message).toMatch(/another query or caller/);
    expect(stranger.statusCode).toBe(403);
    expect(bodyOf(stranger)).toEqual({
      error: {
        code: 'CALLER_UNKNOWN',
        message: expect.stringMatching(/not one of the platform's callers/),
      },
    });
  });

  test('refuses a token from another query', async () => {
    await storeJobs('Acme', 3, ['queued']);
    const { next_token: token } = bodyOf(await listJobs({ client_name: 'Acme', limit: '1' }));

    const response = await listJobs({ client_name: 'Other', next_token: token });

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error.message).toMatch(/another query/);
  });
});
