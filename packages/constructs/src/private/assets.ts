import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The layer package whose semver is the layer version. */
export const LAYER_PACKAGE = '@security-assistant/layer-common';

/** What the build embedded next to the compiled construct (tools/embed-assets.mjs). */
interface AssetManifest {
  readonly functions: BundleSet;
  readonly deployHooks: BundleSet;
  readonly layerCommon: { readonly version: string };
  readonly jobTableSchema: JobTableSchema;
}

/** The handler bundles of one package and the layer-common range they were built against. */
interface BundleSet {
  readonly version: string;
  readonly range: string;
  readonly handlers: string[];
}

/** Key and index names of the jobs table, shared with the handlers (layer-common). */
export interface JobTableSchema {
  readonly partitionKey: string;
  readonly ttlAttribute: string;
  readonly indexes: Record<
    string,
    { readonly indexName: string; readonly partitionKey: string; readonly sortKey: string }
  >;
}

/** A layer-common package the platform deploys as its layer. */
export interface LayerSource {
  /** Its version: the layer version. */
  readonly version: string;
  /** The layer content folder (`nodejs/node_modules/...`). */
  readonly layerDir: string;
  /** Where it was found, for messages. */
  readonly from: string;
}

/** The folder the construct's build embedded the bundles, hooks and layer in. */
export const ASSETS_DIR = join(__dirname, '..', '..', 'assets');

let manifest: AssetManifest | undefined;

function readManifest(): AssetManifest {
  if (!manifest) {
    const path = join(ASSETS_DIR, 'manifest.json');
    if (!existsSync(path)) {
      throw new Error(
        `@security-assistant/constructs has no embedded assets (looked for ${path}): build it first with \`npx nx run-many -t build\``,
      );
    }
    manifest = JSON.parse(readFileSync(path, 'utf8')) as AssetManifest;
  }
  return manifest;
}

/** The folder of an embedded function bundle (`index.mjs`). */
export function functionAsset(name: string): string {
  return assetFolder(readManifest().functions, 'functions', name);
}

/** The folder of an embedded CodeDeploy hook bundle (`index.mjs`). */
export function hookAsset(name: string): string {
  return assetFolder(readManifest().deployHooks, 'deploy-hooks', name);
}

/** The version of the functions package whose bundles are embedded. */
export function functionsVersion(): string {
  return readManifest().functions.version;
}

/** The version of the deploy-hooks package whose bundles are embedded. */
export function hooksVersion(): string {
  return readManifest().deployHooks.version;
}

/** Key and index names of the jobs table. */
export function jobTableSchema(): JobTableSchema {
  return readManifest().jobTableSchema;
}

function assetFolder(set: BundleSet, folder: string, name: string): string {
  if (!set.handlers.includes(name)) {
    throw new Error(`no embedded ${folder} bundle '${name}' (have ${set.handlers.join(', ')})`);
  }
  return join(ASSETS_DIR, folder, name);
}

/**
 * The layer-common to deploy, in this order: the folder the user named; the copy installed in
 * the app (resolved from the working directory, as `cdk synth` runs there), which is how a
 * consumer pins the layer through semver; the copy embedded at build time. Whatever is chosen
 * must satisfy the range every embedded bundle was built against.
 */
export function resolveLayer(directory?: string, searchFrom: string = process.cwd()): LayerSource {
  const source = directory
    ? layerFromPackage(directory, `layerCommonDirectory (${directory})`)
    : (installedLayer(searchFrom) ?? embeddedLayer());
  const m = readManifest();
  for (const [name, set] of [
    ['@security-assistant/functions', m.functions],
    ['@security-assistant/deploy-hooks', m.deployHooks],
  ] as const) {
    if (!satisfiesCaret(source.version, set.range)) {
      throw new Error(
        `${LAYER_PACKAGE}@${source.version} (from ${source.from}) is outside ${set.range}, the range the ${name}@${set.version} bundles were built against: install a ${LAYER_PACKAGE} version within ${set.range}`,
      );
    }
  }
  return source;
}

function installedLayer(searchFrom: string): LayerSource | undefined {
  let manifestPath: string;
  try {
    manifestPath = require.resolve(`${LAYER_PACKAGE}/package.json`, { paths: [searchFrom] });
  } catch {
    return undefined;
  }
  const dir = dirname(manifestPath);
  return layerFromPackage(dir, `the app's node_modules (${dir})`);
}

function embeddedLayer(): LayerSource {
  return layerFromPackage(
    join(ASSETS_DIR, 'layer-common'),
    'the copy embedded in @security-assistant/constructs',
  );
}

function layerFromPackage(dir: string, from: string): LayerSource {
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`${from} has no package.json: expected an installed ${LAYER_PACKAGE}`);
  }
  const { name, version } = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    name?: string;
    version?: string;
  };
  if (name !== LAYER_PACKAGE || !version) {
    throw new Error(`${from} holds ${name ?? 'an unnamed package'}, not ${LAYER_PACKAGE}`);
  }
  const layerDir = join(dir, 'layer');
  if (!existsSync(join(layerDir, 'nodejs'))) {
    throw new Error(
      `${LAYER_PACKAGE}@${version} in ${from} has no built layer/ folder: build it (npx nx run-many -t build) or install a published version`,
    );
  }
  return { version, layerDir, from };
}

/**
 * Whether `version` satisfies a caret range (`^1.2.3`, `^0.2.3`, `^0.0.3`), the only form the
 * handler packages declare. Pre-release versions never satisfy a plain range.
 */
export function satisfiesCaret(version: string, range: string): boolean {
  const v = parse(version);
  const match = /^\^(.+)$/.exec(range.trim());
  const base = match ? parse(match[1]) : undefined;
  if (!base) {
    throw new Error(`unsupported layer-common range '${range}': handler packages declare ^x.y.z`);
  }
  if (!v || v.pre) {
    return false;
  }
  const [major, minor, patch] = v.parts;
  const [bMajor, bMinor, bPatch] = base.parts;
  const atLeast =
    major > bMajor ||
    (major === bMajor && (minor > bMinor || (minor === bMinor && patch >= bPatch)));
  if (!atLeast) {
    return false;
  }
  if (bMajor > 0) {
    return major === bMajor;
  }
  if (bMinor > 0) {
    return major === 0 && minor === bMinor;
  }
  return major === 0 && minor === 0 && patch === bPatch;
}

function parse(version: string): { parts: [number, number, number]; pre: boolean } | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(version.trim());
  return m ? { parts: [Number(m[1]), Number(m[2]), Number(m[3])], pre: Boolean(m[4]) } : undefined;
}
