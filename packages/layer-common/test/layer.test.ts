import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The layer folder is written by `build` (post-compile: tools/build-layer.mjs); nx runs the
// build before the tests.
const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
const layerPackage = join(
  __dirname,
  '..',
  'layer',
  'nodejs',
  'node_modules',
  '@security-assistant',
  'layer-common',
);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the Lambda layer built from this package', () => {
  it('is laid out as nodejs/node_modules/<package> and carries the package version', () => {
    const manifest = JSON.parse(readFileSync(join(layerPackage, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: pkg.name, version: pkg.version, type: 'module' });
    expect(Object.keys(manifest.exports)).toEqual(['.', './parameters', './core']);
  });

  it('ships pre-bundled ESM entry points, not a node_modules tree', () => {
    const files = filesUnder(join(__dirname, '..', 'layer'));
    expect(files.some((f) => f.includes(join(layerPackage, 'node_modules')))).toBe(false);
    expect(files.filter((f) => f.endsWith('.mjs')).length).toBeLessThan(40);
  });

  it('loads from the layer path as an ES module with Powertools bundled in', () => {
    // A fresh node process resolves the entry the way the Lambda runtime would, by path,
    // with no access to this workspace's node_modules.
    const script = `
      const m = await import(${JSON.stringify(join(layerPackage, 'index.mjs'))});
      const logger = m.createLogger('probe');
      console.log(JSON.stringify({ exports: Object.keys(m).sort(), logger: typeof logger.info }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: '/',
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    const result = JSON.parse(out.trim().split('\n').pop()!);
    expect(result.logger).toBe('function');
    expect(result.exports).toEqual(
      expect.arrayContaining(['createLogger', 'loadConfig', 'newJobId', 'withDeploymentProbe']),
    );
  });

  it('has a core entry that loads neither Powertools nor the SDK', () => {
    // every file core.mjs loads, following its static imports of the layer's chunks
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from\s*"(\.[^"]+)"/g)) {
        visit(join(dirname(file), spec));
      }
    };
    visit(join(layerPackage, 'core.mjs'));
    const loaded = [...seen].map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(loaded).not.toMatch(/POWERTOOLS_|@aws-sdk|smithy/);
    expect(loaded).toContain('deploymentProbe');

    const script = `
      const m = await import(${JSON.stringify(join(layerPackage, 'core.mjs'))});
      console.log(JSON.stringify(Object.keys(m).sort()));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: '/',
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    const exports = JSON.parse(out.trim().split('\n').pop()!);
    expect(exports).toEqual(
      expect.arrayContaining(['loadConfig', 'withDeploymentProbe', 'ConfigError']),
    );
    expect(exports).not.toContain('createLogger');
  });
});
