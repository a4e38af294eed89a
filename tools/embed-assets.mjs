// Copies what the construct deploys into packages/constructs/assets/, so the published
// construct (npm tarball and Python wheel alike) carries it and needs none of the asset
// packages at run time:
//   assets/functions/<function>/index.mjs     the handler bundles of @security-assistant/functions
//   assets/deploy-hooks/<hook>/index.mjs      the CodeDeploy hooks of @security-assistant/deploy-hooks
//   assets/layer-common/layer/...             the layer of @security-assistant/layer-common
//   assets/manifest.json                      versions, the layer-common range each bundle needs
//                                             and the jobs table schema of the job model
// Source maps stay behind: Lambda assets never hold a `.map`. Run from packages/constructs.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(join(process.cwd(), 'package.json'));
const LAYER = '@security-assistant/layer-common';

function packageDir(name) {
  return dirname(require.resolve(`${name}/package.json`));
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Copies `dist/<name>/` bundle folders (never `.map` files) and returns the folder names. */
function copyBundles(name, target) {
  const dist = join(packageDir(name), 'dist');
  if (!existsSync(dist)) {
    throw new Error(`${name} has no dist/: build it first (npx nx run-many -t build)`);
  }
  const folders = readdirSync(dist, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dist, d.name, 'index.mjs')))
    .map((d) => d.name);
  for (const folder of folders) {
    cpSync(join(dist, folder), join(target, folder), {
      recursive: true,
      filter: (src) => !src.endsWith('.map'),
    });
  }
  const range = readJson(join(dist, 'layer-common-range.json')).range;
  return { version: readJson(join(packageDir(name), 'package.json')).version, range, handlers: folders };
}

rmSync('assets', { recursive: true, force: true });
mkdirSync('assets', { recursive: true });
const functions = copyBundles('@security-assistant/functions', 'assets/functions');
const deployHooks = copyBundles('@security-assistant/deploy-hooks', 'assets/deploy-hooks');

const layerDir = packageDir(LAYER);
const layerVersion = readJson(join(layerDir, 'package.json')).version;
cpSync(join(layerDir, 'layer'), 'assets/layer-common/layer', {
  recursive: true,
  filter: (src) => !src.endsWith('.map'),
});
writeFileSync(
  'assets/layer-common/package.json',
  JSON.stringify({ name: LAYER, version: layerVersion }, null, 2) + '\n',
);

// The jobs table's key and index names come from the job model the handlers use.
const { JOB_TABLE_SCHEMA } = require(LAYER);
const manifest = {
  functions,
  deployHooks,
  layerCommon: { version: layerVersion },
  jobTableSchema: JOB_TABLE_SCHEMA,
};
writeFileSync('assets/manifest.json', JSON.stringify(manifest, null, 2) + '\n');
console.log(
  `embedded ${functions.handlers.length} functions, ${deployHooks.handlers.length} hooks and ${LAYER}@${layerVersion}`,
);
