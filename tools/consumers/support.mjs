// Helpers for the consumer tests: they use the packed artifacts in dist/ the way another
// team would, from folders outside the workspace.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const DIST = join(ROOT, 'dist');

/** The one file in dist/<kind> whose name starts with `prefix` (and ends with `suffix`). */
export function artifact(kind, prefix, suffix = '') {
  const dir = join(DIST, kind);
  const found = existsSync(dir)
    ? readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith(suffix))
    : [];
  if (found.length !== 1) {
    throw new Error(`expected one ${prefix}* in ${dir} (found ${found.length}): run \`npx projen package\` first`);
  }
  return join(dir, found[0]);
}

/** A version the workspace pins, read from the manifest that pins it. */
export function pinned(pkgDir, section, name) {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', pkgDir, 'package.json'), 'utf8'));
  const version = manifest[section]?.[name];
  if (!version) throw new Error(`packages/${pkgDir} pins no ${name} in ${section}`);
  return version;
}

/** A fresh folder outside the workspace. */
export function scratch(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * The environment of a machine with no AWS configuration at all: no credentials, no
 * region, no config files. Synthesis must not need any.
 */
export function noAwsEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|CDK_DEFAULT_)/.test(k)));
  return {
    ...env,
    AWS_CONFIG_FILE: join(tmpdir(), 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_VERSION_CHECK: '1',
    ...extra,
  };
}

/** Runs a command, failing with its output when it fails. */
export function sh(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** Runs a command that must fail; returns its combined output. */
export function shFails(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status === 0) throw new Error(`${cmd} ${args.join(' ')} succeeded, expected a failure`);
  return `${result.stdout}\n${result.stderr}`;
}

/** npm, quietly. */
export function npm(args, cwd) {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
}

/** The templates of a cloud assembly folder, by stack artifact name. */
export function templates(cdkOut) {
  return Object.fromEntries(
    readdirSync(cdkOut)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => [f.replace('.template.json', ''), JSON.parse(readFileSync(join(cdkOut, f), 'utf8'))]),
  );
}

/** Resources of `type` in a template. */
export function resources(template, type) {
  return Object.values(template.Resources).filter((r) => r.Type === type);
}

/** Region names as AWS writes them. */
export const REGION = /\b(us|eu|ap|sa|ca|me|af|il|mx)-(gov-)?(east|west|north|south|central|northeast|southeast|northwest|southwest)-\d\b/;

/**
 * A template's text without CDK's version-reporting metadata, whose condition lists every
 * region name (it switches the metadata off where it is unsupported; it pins nothing).
 */
export function textWithoutCdkMetadata(template) {
  const { CDKMetadataAvailable: _, ...conditions } = template.Conditions ?? {};
  const { CDKMetadata: __, ...resources } = template.Resources ?? {};
  return JSON.stringify({ ...template, Conditions: conditions, Resources: resources });
}

/**
 * What every consumer checks of the platform it synthesized: at least five functions, each
 * handler's staged asset holding its bundle (index.mjs), and the layer named after the
 * layer-common version it carries.
 */
export function assertSynthesizedPlatform(template, cdkOut) {
  const functions = resources(template, 'AWS::Lambda::Function');
  if (functions.length < 5) throw new Error(`${functions.length} functions, expected at least 5`);
  const bundled = functions.filter((f) => f.Properties.Handler === 'index.handler');
  if (bundled.length < 5) throw new Error(`${bundled.length} bundled handlers, expected at least 5`);
  for (const fn of bundled) {
    // the code's S3 key is the asset hash; the staged asset folder holds the bundle
    const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
    const bundle = join(cdkOut, `asset.${hash}`, 'index.mjs');
    if (!existsSync(bundle)) throw new Error(`no bundle at ${bundle}`);
  }
  const layers = resources(template, 'AWS::Lambda::LayerVersion');
  const { name, version } = JSON.parse(
    readFileSync(join(ROOT, 'packages', 'layer-common', 'package.json'), 'utf8'),
  );
  const described = layers.map((l) => l.Properties.Description);
  if (!described.includes(`${name}@${version}`)) {
    throw new Error(`no layer carries ${name}@${version} (layers: ${described.join(', ')})`);
  }
}

/** `functions: a,b,c`, as each consumer app prints the platform's functions by name. */
export const FUNCTION_NAMES = /functions: dlq-processor,health,process-drawing,processor,status/;
