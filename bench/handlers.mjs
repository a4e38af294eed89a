// Handler bundle size and cold-load benchmark. Prints figures; never fails on timing.
// Run after a build: `npx projen bench` (or `node bench/handlers.mjs`).
//
// For every bundled handler of @security-assistant/functions and @security-assistant/deploy-hooks:
//   - bundle size (minified ESM, layer external) next to the same entry built with
//     NodejsFunction's real defaults (CommonJS, not minified, @aws-sdk/* and @smithy/* left
//     to the runtime, layer code included), and both cold-loaded;
//   - module import + first invocation (the deployment probe, which needs no AWS) in a fresh
//     node process, median of RUNS, next to a bare `node` start;
//   - for one handler, the same measurement with layer-common bundled into the handler, to
//     compare "from the layer" against "fully bundled".
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
    const imported = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    const m = imported.handler ? imported : imported.default;
    const loaded = performance.now();
    if (${invoke}) await m.handler({ deploymentProbe: true }, { getRemainingTimeInMillis: () => 30000 });
    const invoked = performance.now();
    console.log(JSON.stringify({ importMs: loaded - t0, firstInvokeMs: invoked - loaded, sinceStartMs: invoked }));
  `;
  const samples = Array.from({ length: RUNS }, () =>
    JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: ROOT,
        // Lambda's own variable: the directory of the function's code
        env: { ...ENV, LAMBDA_TASK_ROOT: dirname(bundle) },
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

/**
 * The entry built as NodejsFunction builds it by default, read from aws-cdk-lib's own source
 * (aws-lambda-nodejs/lib/bundling.js, 2.275): CommonJS, not minified, no source map, target
 * from the runtime, and on Node 18+ runtimes `@aws-sdk/*` (and `@smithy/*` with the
 * LAMBDA_NODEJS_SDK_V3_EXCLUDE_SMITHY_PACKAGES flag, on in new apps) left to the runtime's
 * SDK. Everything else — layer-common included — is bundled. Written under node_modules/.cache
 * so its SDK imports resolve to the repository's copy, as they would to the runtime's.
 */
async function nodejsFunctionDefaults(name, source) {
  const outfile = join(ROOT, 'node_modules', '.cache', 'bench-nodejsfunction', `${name}.cjs`);
  const result = await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: false,
    sourcemap: false,
    external: ['@aws-sdk/*', '@smithy/*'],
    metafile: true,
    logLevel: 'error',
  });
  return { path: outfile, size: Object.values(result.metafile.outputs)[0].bytes };
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
console.log(
  `bare node start (wall): ${median(bareSamples).toFixed(1)} ms; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
);

console.log(
  ['handler'.padEnd(28), 'bundle'.padStart(11), 'NodejsFn'.padStart(11), 'import'.padStart(9), '1st inv'.padStart(8), 'NodejsFn cold'.padStart(14), 'speed-up'.padStart(9)].join(' '),
);
for (const h of handlers()) {
  const size = readFileSync(h.bundle).byteLength;
  const defaults = await nodejsFunctionDefaults(`${h.pkg}-${h.name}`, h.source);
  // The hooks are not wrapped with the probe (CodeDeploy is their only caller): import only.
  const invoke = h.pkg === 'functions';
  const load = coldLoad(h.bundle, invoke);
  const peer = coldLoad(defaults.path, invoke);
  console.log(
    [
      `${h.pkg}/${h.name}`.padEnd(28),
      kib(size).padStart(11),
      kib(defaults.size).padStart(11),
      `${load.importMs.toFixed(1)} ms`.padStart(9),
      (invoke ? `${load.firstInvokeMs.toFixed(1)} ms` : '-').padStart(8),
      `${peer.totalMs.toFixed(1)} ms`.padStart(14),
      `${(peer.totalMs / load.totalMs).toFixed(2)}x`.padStart(9),
    ].join(' '),
  );
}
console.log(
  '\nNodejsFn: the same entry built with NodejsFunction defaults (CJS, unminified, SDK from the\n' +
    'runtime, layer-common bundled). Its size leaves out the SDK the runtime provides; its cold\n' +
    'time includes loading that SDK from node_modules. speed-up = NodejsFn cold / ours.',
);

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
