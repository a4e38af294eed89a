// Throughput and latency of the local platform. Prints figures; never fails on timing.
// Run after a build: `node bench/local-platform.mjs`.
//
//   JOBS=50,200,500        job counts, each on a freshly started platform
//   EMULATORS=per-service,single   emulator layouts, alternated for every job count
//   CONCURRENCY=20         jobs submitted at a time;  WORKERS=4  pollers per queue
//   STATUS_CALLS=300       warm GET /status calls timed after the jobs
//
// For each run: jobs per second end to end (N small drawings submitted over HTTP, processed
// by the SQS workers, followed until every job is completed), CPU per job of this node
// process (API server, handlers, client) and of the emulator processes (read from /proc),
// and warm GET /status latency over HTTP (p50 / p99). Each run is a node process of its own
// (`BENCH_RUN=<jobs>:<layout>`): the handlers read their endpoints once, at module load.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { startLocalPlatform } = require(join(ROOT, 'packages/app/lib/local/platform.js'));
const { PDFDocument, StandardFonts } = require('pdf-lib');

const list = (value, fallback) => (value ?? fallback).split(',').map((v) => v.trim());
const JOB_COUNTS = list(process.env.JOBS, '50,200,500').map(Number);
const LAYOUTS = list(process.env.EMULATORS, 'per-service,single');
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 20);
const STATUS_CALLS = Number(process.env.STATUS_CALLS ?? 300);
const WORKERS = Number(process.env.WORKERS ?? 4);
const CLOCK_TICKS = 100; // USER_HZ on Linux

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

/** CPU seconds used so far by this process's children (the emulator processes), from /proc. */
function emulatorCpuSeconds() {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      // fields after the command name: state ppid … utime(14) stime(15)
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended while we looked
    }
  }
  return ticks / CLOCK_TICKS;
}

const nodeCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

async function run(jobs, emulators, pdf) {
  const platform = await startLocalPlatform({ apiPort: 0, concurrency: WORKERS, emulators });
  const { apiUrl, apiKey } = platform.info;
  const headers = { 'x-api-key': apiKey };
  try {
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

    const cpu0 = { node: nodeCpuSeconds(), emulator: emulatorCpuSeconds() };
    const started = performance.now();
    const ids = [];
    for (let i = 0; i < jobs; i += CONCURRENCY) {
      ids.push(...(await Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs - i) }, submit))));
    }
    // Every job's completion is read through GET /status, one job at a time, oldest first
    // (jobs finish roughly in order): polling all pending jobs every sweep would put hundreds
    // of status calls per second on the emulator the processing itself needs.
    const pending = [...ids];
    while (pending.length > 0) {
      const job = await status(pending[0]);
      if (job.status === 'completed') pending.shift();
      else if (job.status === 'failed') throw new Error(`${pending[0]} failed: ${JSON.stringify(job.error)}`);
      else await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = {
      node: nodeCpuSeconds() - cpu0.node,
      emulator: emulatorCpuSeconds() - cpu0.emulator,
    };

    const latencies = [];
    for (let i = 0; i < STATUS_CALLS; i++) {
      const t0 = performance.now();
      await status(ids[i % ids.length]);
      latencies.push(performance.now() - t0);
    }
    return {
      jobs,
      emulators,
      jobsPerSecond: jobs / seconds,
      nodeMsPerJob: (cpu.node * 1000) / jobs,
      emulatorMsPerJob: (cpu.emulator * 1000) / jobs,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      load: loadavg()[0],
    };
  } finally {
    await platform.stop();
  }
}

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.noDeprecation = true;
if (process.env.BENCH_RUN) {
  const [jobs, emulators] = process.env.BENCH_RUN.split(':');
  console.log(JSON.stringify(await run(Number(jobs), emulators, await smallDrawing())));
  process.exit(0);
}
console.log(`node ${process.version}; ${CONCURRENCY} jobs submitted at a time, ${WORKERS} pollers per queue`);
console.log('jobs  emulators     jobs/s  node CPU/job  emulator CPU/job  GET /status p50 / p99  load');
for (const jobs of JOB_COUNTS) {
  for (const emulators of LAYOUTS) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_RUN: `${jobs}:${emulators}` },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const r = JSON.parse(out.trim().split('\n').pop());
    console.log(
      `${String(r.jobs).padStart(4)}  ${r.emulators.padEnd(12)} ${r.jobsPerSecond.toFixed(1).padStart(6)}` +
        `  ${r.nodeMsPerJob.toFixed(1).padStart(9)} ms  ${r.emulatorMsPerJob.toFixed(1).padStart(13)} ms` +
        `  ${r.p50.toFixed(1).padStart(8)} / ${r.p99.toFixed(1)} ms  ${r.load.toFixed(2).padStart(5)}`,
    );
  }
}
