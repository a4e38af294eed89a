// Handler bundle size and cold-load benchmark. Prints figures; never fails on timing.
// Run after a build: `npx projen bench` (or `node bench/handlers.mjs`).
//
// For every bundled handler of @security-assistant/functions and @security-assistant/deploy-hooks:
//   - bundle size (minified ESM, layer external) and the same entry built the way
//     NodejsFunction does by default (CommonJS, not minified, layer code included), with
//     the SDK clients bundled in both so the two hold the same code — the spec's
//     "at most a third" ratio;
//   - module import + first invocation (the deployment probe, which needs no AWS) in a fresh
//     node process, median of RUNS, next to a bare `node` start;
//   - for one handler, the same measurement with layer-common bundled into the handler, to
//     compare "from the layer" against "fully bundled".
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { esmBundleOptions } from '../tools/esbuild-options.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const PACKAGES = ['functions', 'deploy-hooks'];
const ENV = {
  PATH: process.env.PATH,
  STAGE: 'dev',
  TABLE_NAME: 'bench-jobs',
  BUCKET_NAME: 'bench-drawings',
  QUEUE_URL: 'http://127.0.0.1:1/queue/bench',
  ALERT_TOPIC_ARN: 'arn:aws:sns:local:000000000000:bench',
  MODEL_API_KEY_PARAMETER: '/bench/model-api-key',
  TARGET_FUNCTION_VERSION_ARN: 'arn:aws:lambda:local:000000000000:function:bench:1',
  TARGET_FUNCTION_ALIAS_ARN: 'arn:aws:lambda:local:000000000000:function:bench:live',
  AWS_REGION: 'local',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

function handlers() {
  return PACKAGES.flatMap((pkg) => {
    const dist = join(ROOT, 'packages', pkg, 'dist');
    if (!existsSync(dist)) throw new Error(`${dist} missing: run 'npx projen build:all' first`);
    return readdirSync(dist, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => ({
        pkg,
        name: d.name,
        bundle: join(dist, d.name, 'index.mjs'),
        source: join(ROOT, 'packages', pkg, 'src', d.name, 'handler.ts'),
      }));
  });
}

/** Milliseconds from process start to the probe's answer, measured inside a fresh node. */
function coldLoad(bundle, invoke = true) {
  const script = `
    const t0 = performance.now();
    const m = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    const loaded = performance.now();
    if (${invoke}) await m.handler({ deploymentProbe: true }, { getRemainingTimeInMillis: () => 30000 });
    const invoked = performance.now();
    console.log(JSON.stringify({ importMs: loaded - t0, firstInvokeMs: invoked - loaded, sinceStartMs: invoked }));
  `;
  const samples = Array.from({ length: RUNS }, () =>
    JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: ROOT,
        env: ENV,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .trim()
        .split('\n')
        .pop(),
    ),
  );
  return {
    importMs: median(samples.map((s) => s.importMs)),
    firstInvokeMs: median(samples.map((s) => s.firstInvokeMs)),
    totalMs: median(samples.map((s) => s.importMs + s.firstInvokeMs)),
  };
}

async function nodejsFunctionDefaultsSize(source) {
  const result = await build({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: false,
    sourcemap: false,
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0].contents.byteLength;
}

async function fullyBundled(source) {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-bundled-'));
  await build({ ...esmBundleOptions, entryPoints: { index: source }, outdir, metafile: false });
  return join(outdir, 'index.mjs');
}

const bareSamples = Array.from({ length: RUNS }, () => {
  const t0 = performance.now();
  execFileSync(process.execPath, ['-e', ''], { env: ENV });
  return performance.now() - t0;
});
console.log(`node ${process.version}, ${RUNS} runs each, medians`);
console.log(`bare node start (wall): ${median(bareSamples).toFixed(1)} ms\n`);

console.log(
  ['handler'.padEnd(28), 'bundle'.padStart(11), 'NodejsFn'.padStart(11), 'ratio'.padStart(6), 'import'.padStart(9), '1st inv'.padStart(8)].join(' '),
);
for (const h of handlers()) {
  const size = readFileSync(h.bundle).byteLength;
  const defaults = await nodejsFunctionDefaultsSize(h.source);
  // The hooks are not wrapped with the probe (CodeDeploy is their only caller): import only.
  const load = coldLoad(h.bundle, h.pkg === 'functions');
  console.log(
    [
      `${h.pkg}/${h.name}`.padEnd(28),
      kib(size).padStart(11),
      kib(defaults).padStart(11),
      (size / defaults).toFixed(2).padStart(6),
      `${load.importMs.toFixed(1)} ms`.padStart(9),
      (h.pkg === 'functions' ? `${load.firstInvokeMs.toFixed(1)} ms` : '-').padStart(8),
    ].join(' '),
  );
}

const status = handlers().find((h) => h.name === 'status');
if (status) {
  const viaLayer = coldLoad(status.bundle);
  const bundledPath = await fullyBundled(status.source);
  const bundled = coldLoad(bundledPath);
  console.log(
    `\nstatus, layer-common from the layer: ${viaLayer.totalMs.toFixed(1)} ms; fully bundled: ${bundled.totalMs.toFixed(1)} ms ` +
      `(${(((viaLayer.totalMs - bundled.totalMs) / bundled.totalMs) * 100).toFixed(1)} %)`,
  );
}
