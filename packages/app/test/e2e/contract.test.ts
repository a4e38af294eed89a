import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Api } from './support/api';
import { contract, OPENAPI_PATH } from './support/contract';
import { eventually, startLocalPlatform, type RunningPlatform } from './support/local-platform';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '..', '..', '..', '..');

let platform: RunningPlatform;
let api: Api;

beforeAll(async () => {
  platform = await startLocalPlatform({});
  api = new Api(platform.info);
});

afterAll(() => platform?.kill());

/**
 * The README walk-through's requests, as `METHOD /route-template`: every `$API/...` curl in
 * its two walk-through blocks (a curl with -F or -d is a POST).
 */
function walkThroughRequests(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('npx projen sample-drawing');
  const walkThrough = readme.slice(start, readme.indexOf('GEMINI_API_KEY', start));
  // one logical command per line: join the `\` continuations
  const commands = walkThrough.replace(/\\\n\s*/g, ' ').split('\n');
  return commands.flatMap((command) => {
    const match = /\$API(\/[^\s"']*)/.exec(command);
    if (!match) return [];
    const method = / -(F|d) /.test(command) ? 'POST' : 'GET';
    const route = contract.route(method, match[1]);
    if (!route) {
      throw new Error(`the README's ${method} ${match[1]} is not in the OpenAPI document`);
    }
    return [`${method} ${route.template}`];
  });
}

describe('the API contract on the local platform', () => {
  it('serves its OpenAPI 3.1 document at GET /openapi.json: the shipped one, valid by openapi-spec-validator', async () => {
    const served = await fetch(`${platform.info.apiUrl}/openapi.json`);
    const text = await served.text();
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/json');
    expect(text).toBe(readFileSync(OPENAPI_PATH, 'utf8'));
    expect(JSON.parse(text).openapi).toMatch(/^3\.1\./);
    // and what was served passes a real OpenAPI validator (it throws, with its findings, if not)
    const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, text);
    const validator = join(ROOT, '.venv', 'bin', 'openapi-spec-validator');
    expect(execFileSync(validator, [file], { encoding: 'utf8' })).toContain('OK');
  });

  it('answers every request of the README walk-through as the document says, through the typed client', async () => {
    // Given the README's sample drawing
    const dir = mkdtempSync(join(tmpdir(), 'walk-through-'));
    execFileSync(process.execPath, [
      join(ROOT, 'tools', 'sample-drawing.mjs'),
      join(dir, 'plan.pdf'),
    ]);
    const pdf = readFileSync(join(dir, 'plan.pdf'));
    const exercised = new Set<string>();
    const did = (request: string) => exercised.add(request);

    // When it is submitted as a form, followed to the end and listed (each answer is checked
    // against the document by the Api helper)
    const submitted = await api.submit({
      pdf,
      filename: 'plan.pdf',
      clientName: 'Acme Security',
      projectName: 'HQ refit',
    });
    did('POST /process-drawing');
    expect(submitted.status).toBe(202);
    const job = await eventually('the walk-through job to complete', async () => {
      const res = await api.status(submitted.body.job_id);
      return res.body.status === 'completed' ? res.body : undefined;
    });
    did('GET /status/{job_id}');
    expect(job.result).toMatchObject({ total_components: 6 });
    for (const url of [job.result.download_url, job.result.csv_download_url]) {
      expect((await fetch(url)).status).toBe(200);
    }
    const listed = await api.listJobs({ client_name: 'Acme Security', limit: 10 });
    did('GET /jobs');
    expect(listed.body.jobs.map((j: { job_id: string }) => j.job_id)).toContain(job.job_id);
    expect((await api.health()).status).toBe(200);
    did('GET /health');

    // And through an upload: the request bodies are the document's too
    const upload = {
      filename: 'plan.pdf',
      content_type: 'application/pdf' as const,
      size_bytes: pdf.length,
    };
    expect(contract.requestProblems('POST', '/uploads', upload)).toEqual([]);
    const created = await api.createUpload(upload);
    did('POST /uploads');
    expect(created.status).toBe(201);
    const put = await fetch(created.body.upload_url, {
      method: created.body.method,
      headers: created.body.headers,
      body: pdf,
    });
    expect(put.status).toBe(200);
    const byUpload = {
      upload_id: created.body.upload_id,
      client_name: 'Acme Security',
      project_name: 'HQ refit',
    };
    expect(contract.requestProblems('POST', '/process-drawing', byUpload)).toEqual([]);
    expect((await api.submitUpload(byUpload)).status).toBe(202);

    // Then every request the README walks through was among them
    expect([...new Set(walkThroughRequests())].filter((r) => !exercised.has(r))).toEqual([]);
  });

  it('agrees with the platform on malformed bodies: what the document refuses, the API answers with a 4xx', async () => {
    const malformed: Array<[string, unknown]> = [
      ['/uploads', { filename: 'a.pdf' }],
      ['/uploads', { filename: 'a.pdf', content_type: 'image/png', size_bytes: 10 }],
      ['/uploads', { filename: 'a.pdf', content_type: 'application/pdf', size_bytes: 1.5 }],
      ['/process-drawing', { upload_id: 'upl_123', client_name: 'a', project_name: 'b' }],
      [
        '/process-drawing',
        { upload_id: `upl_${'0'.repeat(32)}`, client_name: '', project_name: 'b' },
      ],
    ];
    // (and the checks the other tests rely on do refuse what the document does not say)
    const wrong = { error: { code: 'JOB_NOT_FOUND', message: 'x' } };
    expect(contract.answerProblems('GET', '/status/x', 400, wrong)).not.toEqual([]);
    expect(contract.answerProblems('GET', '/status/x', 418, wrong)).not.toEqual([]);
    expect(contract.answerProblems('GET', '/status/x', 404, { code: 'JOB_NOT_FOUND' })).not.toEqual(
      [],
    );
    expect(contract.answerProblems('GET', '/status/x', 404, wrong)).toEqual([]);
    for (const [path, body] of malformed) {
      expect([path, body, contract.requestProblems('POST', path, body).length > 0]).toEqual([
        path,
        body,
        true,
      ]);
      const res = await api.request('POST', path, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect([path, body, res.status >= 400 && res.status < 500]).toEqual([path, body, true]);
    }
  });
});
