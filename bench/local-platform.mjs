// Throughput and latency of the local platform. Prints figures; never fails on timing.
// Run after a build: `node bench/local-platform.mjs` (JOBS=N, CONCURRENCY=N, STATUS_CALLS=N).
//
//   - end-to-end jobs per second: N small drawings submitted over HTTP, processed by the
//     SQS workers, followed until every job is completed;
//   - warm GET /status latency over HTTP (handler + DynamoDB on moto + the local API server),
//     p50 / p90 / p99.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { startLocalPlatform } = require(join(ROOT, 'packages/app/lib/local/platform.js'));
const { PDFDocument, StandardFonts } = require('pdf-lib');

const JOBS = Number(process.env.JOBS ?? 100);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10);
const STATUS_CALLS = Number(process.env.STATUS_CALLS ?? 300);

async function smallDrawing() {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage();
  ['DOOR D-101', 'CARD READER CR-01', 'CAMERA CAM-01'].forEach((t, i) =>
    page.drawText(t, { x: 50, y: 700 - i * 20, size: 12, font }),
  );
  return Buffer.from(await doc.save());
}

const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const WORKERS = Number(process.env.WORKERS ?? 4);
const platform = await startLocalPlatform({ apiPort: 0, concurrency: WORKERS });
console.log(`${WORKERS} pollers per queue`);
const { apiUrl, apiKey } = platform.info;
const headers = { 'x-api-key': apiKey };
try {
  const pdf = await smallDrawing();
  const submit = async () => {
    const form = new FormData();
    form.append('client_name', 'Bench');
    form.append('project_name', 'Throughput');
    form.append('drawing_file', new Blob([pdf], { type: 'application/pdf' }), 'plan.pdf');
    const res = await fetch(`${apiUrl}/process-drawing`, { method: 'POST', headers, body: form });
    if (res.status !== 202) throw new Error(`submit: ${res.status} ${await res.text()}`);
    return (await res.json()).job_id;
  };
  const status = async (id) => (await fetch(`${apiUrl}/status/${id}`, { headers })).json();

  const started = performance.now();
  const ids = [];
  for (let i = 0; i < JOBS; i += CONCURRENCY) {
    ids.push(...(await Promise.all(Array.from({ length: Math.min(CONCURRENCY, JOBS - i) }, submit))));
  }
  const submitted = performance.now();
  // Every job's completion is read through GET /status, but one job at a time, oldest first
  // (jobs finish roughly in order): polling all pending jobs every sweep would put hundreds of
  // status calls per second on the emulator the processing itself needs.
  const pending = [...ids];
  while (pending.length > 0) {
    const job = await status(pending[0]);
    if (job.status === 'completed') pending.shift();
    else if (job.status === 'failed') throw new Error(`${pending[0]} failed: ${JSON.stringify(job.error)}`);
    else await new Promise((r) => setTimeout(r, 50));
  }
  const done = performance.now();
  console.log(`${JOBS} jobs (submitted ${CONCURRENCY} at a time): submitted in ${((submitted - started) / 1000).toFixed(2)} s, ` +
    `all completed after ${((done - started) / 1000).toFixed(2)} s -> ${(JOBS / ((done - started) / 1000)).toFixed(1)} jobs/s end to end`);

  const latencies = [];
  for (let i = 0; i < STATUS_CALLS; i++) {
    const t0 = performance.now();
    await status(ids[i % ids.length]);
    latencies.push(performance.now() - t0);
  }
  console.log(`warm GET /status over HTTP, ${STATUS_CALLS} calls: p50 ${percentile(latencies, 0.5).toFixed(2)} ms, ` +
    `p90 ${percentile(latencies, 0.9).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms`);
} finally {
  await platform.stop();
}
