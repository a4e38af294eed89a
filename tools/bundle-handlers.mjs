// Bundles every `src/<function>/handler.ts` of the current package into
// `dist/<function>/index.mjs` (ESM, minified, source map) in one esbuild pass.
// The shared layer is external: the functions import it from /opt/nodejs/node_modules
// at run time. Run from the package directory (the `post-compile` step).
// `--extra <out>=<source>` adds a file a handler loads at run time (the processor's PDF
// worker: `processor/pdf.worker=src/pdf/worker.ts`), bundled into the handler's directory
// self-contained: a worker thread should not depend on how the runtime resolves the layer.
// `--self-contained <function>` bundles that handler with the layer-common code it uses
// instead of importing the layer: for health, which needs only the `core` entry (no
// Powertools), one small file cold-starts in about a quarter of the time (bench/README.md).
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { esmBundleOptions } from './esbuild-options.mjs';

const LAYER_PACKAGES = ['@security-assistant/layer-common', '@security-assistant/layer-common/*'];

const entryPoints = Object.fromEntries(
  readdirSync('src', { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join('src', d.name, 'handler.ts')))
    .map((d) => [`${d.name}/index`, join('src', d.name, 'handler.ts')]),
);
if (Object.keys(entryPoints).length === 0) {
  throw new Error('no src/<function>/handler.ts found');
}
const handlers = Object.keys(entryPoints).map((e) => e.split('/')[0]);
const extraEntryPoints = {};
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--self-contained' && handlers.includes(args[i + 1])) {
    const entry = `${args[++i]}/index`;
    extraEntryPoints[entry] = entryPoints[entry];
    delete entryPoints[entry];
    continue;
  }
  const extra = args[i] === '--extra' ? /^([\w-]+)\/([\w.-]+)=(.+)$/.exec(args[++i] ?? '') : null;
  if (!extra || !handlers.includes(extra[1]) || !existsSync(extra[3])) {
    throw new Error(
      `bad argument ${args[i]}: expected --extra <function>/<name>=<existing source> or --self-contained <function>`,
    );
  }
  extraEntryPoints[`${extra[1]}/${extra[2]}`] = extra[3];
}

rmSync('dist', { recursive: true, force: true });
const started = Date.now();
const results = await Promise.all([
  build({ ...esmBundleOptions, entryPoints, outdir: 'dist', external: LAYER_PACKAGES }),
  build({ ...esmBundleOptions, entryPoints: extraEntryPoints, outdir: 'dist' }),
]);

const sizes = {};
for (const result of results) {
  for (const [file, meta] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.mjs')) sizes[file.replace(/^dist\//, '')] = meta.bytes;
  }
}
writeFileSync(join('dist', 'bundles.json'), JSON.stringify(sizes, null, 2) + '\n');
// The bundles import layer-common from the layer at run time: record the range they were
// built against, so whoever deploys them (the construct) can refuse a layer outside it.
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const range = manifest.peerDependencies?.[LAYER_PACKAGES[0]];
if (!range) {
  throw new Error(`${manifest.name} must declare ${LAYER_PACKAGES[0]} as a peer dependency`);
}
writeFileSync(
  join('dist', 'layer-common-range.json'),
  JSON.stringify({ package: LAYER_PACKAGES[0], range, handlers }, null, 2) + '\n',
);
for (const [file, bytes] of Object.entries(sizes)) {
  console.log(`${file.padEnd(36)} ${(bytes / 1024).toFixed(1).padStart(8)} KiB`);
}
console.log(
  `bundled ${handlers.length} handlers and ${Object.keys(extraEntryPoints).length} self-contained files in ${Date.now() - started} ms`,
);
