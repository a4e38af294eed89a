// What the four npm tarballs in dist/js hold and declare: what a consumer runs and nothing
// else, metadata provenance needs, types that resolve in every mode (arethetypeswrong),
// package.json that publint accepts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, artifact, sh } from './support.mjs';

const PACKAGES = ['layer-common', 'functions', 'deploy-hooks', 'constructs'];
const BIN = join(ROOT, 'node_modules', '.bin');

/** The paths a tarball holds, without npm's `package/` prefix. */
function entries(tarball) {
  return sh('tar', ['tzf', tarball]).stdout.trim().split('\n').map((p) => p.replace(/^package\//, ''));
}

/** The package.json inside a tarball. */
function manifestOf(tarball) {
  return JSON.parse(sh('tar', ['xzOf', tarball, 'package/package.json']).stdout);
}

for (const pkg of PACKAGES) {
  describe(`@security-assistant/${pkg}`, () => {
    const tarball = artifact('js', `security-assistant-${pkg}-`);
    const files = entries(tarball);
    const manifest = manifestOf(tarball);

    it('holds no sources, tests, configs or source maps', () => {
      const extras = files.filter(
        (f) =>
          f.endsWith('.map') ||
          /^(src|test|coverage)\//.test(f) ||
          /(^|\/)(project\.json|jest\.config\.[cm]?js|tsconfig[^/]*\.json|\.eslintrc\.json|\.projen\/.*)$/.test(f) ||
          (f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.d.mts')),
      );
      assert.deepEqual(extras, []);
    });

    it('declares repository, homepage, license and a files allow-list', () => {
      assert.match(manifest.repository?.url ?? '', /^git\+https:\/\/.+\.git$/);
      assert.equal(manifest.repository.directory, `packages/${pkg}`);
      assert.match(manifest.homepage ?? '', /^https:\/\//);
      assert.equal(manifest.license, 'Apache-2.0');
      assert.ok(Array.isArray(manifest.files) && manifest.files.length > 0);
      assert.ok(files.includes('LICENSE') && files.includes('README.md'));
    });

    it('resolves its types in every module mode (arethetypeswrong)', () => {
      sh(join(BIN, 'attw'), [tarball, '--format', 'ascii']);
    });

    it('passes publint, warnings included', () => {
      sh(join(BIN, 'publint'), ['--strict', join(ROOT, 'packages', pkg)]);
    });
  });
}

describe('@security-assistant/constructs', () => {
  const tarball = artifact('js', 'security-assistant-constructs-');

  it('is a jsii library: the tarball holds its .jsii assembly', () => {
    assert.ok(entries(tarball).includes('.jsii'));
    const assembly = JSON.parse(sh('tar', ['xzOf', tarball, 'package/.jsii']).stdout);
    assert.equal(assembly.name, '@security-assistant/constructs');
    assert.ok(assembly.targets.python, 'a Python target');
    assert.ok(assembly.targets.java?.maven?.groupId, 'a Java target with its Maven coordinates');
    assert.ok(assembly.targets.go?.moduleName, 'a Go target with its module');
  });

  it("ships the API's OpenAPI 3.1 document, the one in the repository", () => {
    const shipped = sh('tar', ['xzOf', tarball, 'package/openapi.json']).stdout;
    assert.equal(shipped, readFileSync(join(ROOT, 'packages', 'constructs', 'openapi.json'), 'utf8'));
    assert.match(JSON.parse(shipped).openapi, /^3\.1\./);
  });

  it('carries the bundles it deploys and depends on none of the asset packages', () => {
    const files = entries(tarball);
    for (const fn of ['process-drawing', 'status', 'health', 'processor', 'dlq-processor']) {
      assert.ok(files.includes(`assets/functions/${fn}/index.mjs`), fn);
    }
    const manifest = manifestOf(tarball);
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), []);
  });

  it('asks for the lowest aws-cdk-lib its tests synthesize with', () => {
    const manifest = manifestOf(tarball);
    const tested = JSON.parse(readFileSync(join(ROOT, 'packages', 'constructs', 'package.json'), 'utf8'))
      .devDependencies['aws-cdk-lib'];
    assert.equal(manifest.peerDependencies['aws-cdk-lib'], `^${tested}`);
  });
});

describe('@security-assistant/functions and deploy-hooks', () => {
  it('take layer-common as a peer: the layer provides it at run time', () => {
    for (const pkg of ['functions', 'deploy-hooks']) {
      const manifest = manifestOf(artifact('js', `security-assistant-${pkg}-`));
      assert.match(manifest.peerDependencies['@security-assistant/layer-common'], /^\^\d+\.\d+\.\d+$/);
      assert.equal(manifest.dependencies?.['@security-assistant/layer-common'], undefined);
    }
  });

  it('load through their main entry point', () => {
    for (const pkg of ['functions', 'deploy-hooks']) {
      sh('node', ['-e', `require(${JSON.stringify(join(ROOT, 'packages', pkg))})`]);
    }
  });
});
