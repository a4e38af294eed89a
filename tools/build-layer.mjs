// Builds @security-assistant/layer-common into
//   dist/<entry>.mjs                                    (the package's ESM entry points)
//   layer/nodejs/node_modules/@security-assistant/layer-common/  (the Lambda layer content)
// Each entry is one pre-bundled ESM file holding Powertools and the SDK clients it needs,
// so a function importing it loads a few files instead of a tree of node_modules.
// Run from the package directory (the `post-compile` step).
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { esmBundleOptions } from './esbuild-options.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const entries = {
  index: 'src/index.ts',
  parameters: 'src/parameters/index.ts',
  core: 'src/core/index.ts',
};

rmSync('dist', { recursive: true, force: true });
await build({
  ...esmBundleOptions,
  entryPoints: entries,
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});

// ESM importers get ESM type declarations next to the ESM files: each re-exports the tsc
// declarations of its entry, so `import` and `require` both see the same API with the
// module format that matches the file they load.
for (const [entry, source] of Object.entries(entries)) {
  const target = `../${source.replace(/^src\//, 'lib/').replace(/\.ts$/, '.js')}`;
  writeFileSync(join('dist', `${entry}.d.mts`), `export * from '${target}';\n`);
}

const layerPackage = join('layer', 'nodejs', 'node_modules', ...pkg.name.split('/'));
rmSync('layer', { recursive: true, force: true });
mkdirSync(layerPackage, { recursive: true });
cpSync('dist', layerPackage, { recursive: true, filter: (src) => !src.endsWith('.d.mts') });
const exportsMap = Object.fromEntries(
  Object.keys(entries).map((e) => [e === 'index' ? '.' : `./${e}`, `./${e}.mjs`]),
);
writeFileSync(
  join(layerPackage, 'package.json'),
  JSON.stringify(
    { name: pkg.name, version: pkg.version, type: 'module', exports: exportsMap },
    null,
    2,
  ),
);
console.log(`layer ${pkg.name}@${pkg.version} -> ${layerPackage}`);
