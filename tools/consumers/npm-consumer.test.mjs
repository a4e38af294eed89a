// Another team's CDK app installs the four packed tarballs from dist/js (no workspace links,
// no esbuild), synthesizes the platform with the CDK CLI on a machine without AWS
// configuration, then pins another layer-common version through semver.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  REGION,
  artifact,
  noAwsEnv,
  npm,
  pinned,
  resources,
  scratch,
  sh,
  shFails,
  templates,
  textWithoutCdkMetadata,
} from './support.mjs';

const LAYER = '@security-assistant/layer-common';
const PACKAGES = ['layer-common', 'functions', 'deploy-hooks', 'constructs'];

const APP = `
const { App, Stack } = require('aws-cdk-lib');
const { SecurityAssistantPlatform } = require('@security-assistant/constructs');
const app = new App();
new SecurityAssistantPlatform(new Stack(app, 'Consumer'), 'Platform', { stage: 'staging' });
app.synth();
`;

/** `cdk synth` in the consumer folder, as its team would run it; the template. */
function synth(dir) {
  sh('npx', ['cdk', 'synth', '--quiet', '--no-notices'], { cwd: dir, env: noAwsEnv() });
  return templates(join(dir, 'cdk.out')).Consumer;
}

/** A copy of the layer-common tarball claiming `version`, packed like a release of it. */
function layerCommonRelease(version) {
  const work = scratch('layer-common-');
  sh('tar', ['xzf', artifact('js', 'security-assistant-layer-common-'), '-C', work]);
  const pkg = join(work, 'package');
  const layerPkg = join(pkg, 'layer', 'nodejs', 'node_modules', ...LAYER.split('/'), 'package.json');
  for (const manifest of [join(pkg, 'package.json'), layerPkg]) {
    const json = JSON.parse(readFileSync(manifest, 'utf8'));
    writeFileSync(manifest, JSON.stringify({ ...json, version }, null, 2));
  }
  const out = npm(['pack', '--pack-destination', work], pkg).trim().split('\n').pop();
  return join(work, out);
}

describe('a CDK app that installs the packed tarballs', () => {
  const dir = scratch('npm-consumer-');
  let template;

  before(() => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: 'node app.js' }));
    writeFileSync(join(dir, 'app.js'), APP);
    npm(
      [
        'install',
        ...PACKAGES.map((p) => artifact('js', `security-assistant-${p}-`)),
        `aws-cdk-lib@${pinned('constructs', 'devDependencies', 'aws-cdk-lib')}`,
        `constructs@${pinned('constructs', 'devDependencies', 'constructs')}`,
        `aws-cdk@${pinned('app', 'devDependencies', 'aws-cdk')}`,
      ],
      dir,
    );
    template = synth(dir);
  });

  it('installs real copies, with no workspace link and no esbuild', () => {
    for (const p of PACKAGES) {
      const installed = join(dir, 'node_modules', '@security-assistant', p);
      assert.ok(existsSync(installed), `${p} is installed`);
      assert.equal(lstatSync(installed).isSymbolicLink(), false, `${p} is not a link`);
    }
    assert.equal(existsSync(join(dir, 'node_modules', 'esbuild')), false);
  });

  it('synthesizes at least five functions whose assets are the index.mjs bundles', () => {
    const functions = resources(template, 'AWS::Lambda::Function');
    assert.ok(functions.length >= 5, `${functions.length} functions`);
    const handlers = functions.filter((f) => f.Properties.Handler === 'index.handler');
    assert.ok(handlers.length >= 5);
    for (const fn of handlers) {
      const asset = fn.Metadata?.['aws:asset:path'];
      assert.ok(asset, 'every function names its asset');
      assert.ok(existsSync(join(dir, 'cdk.out', asset, 'index.mjs')), `${asset}/index.mjs`);
      assert.equal(existsSync(join(dir, 'cdk.out', asset, 'index.mjs.map')), false);
    }
  });

  it('carries the installed layer-common version on the LayerVersion', () => {
    const [layer] = resources(template, 'AWS::Lambda::LayerVersion');
    const installed = JSON.parse(
      readFileSync(join(dir, 'node_modules', ...LAYER.split('/'), 'package.json'), 'utf8'),
    ).version;
    assert.equal(layer.Properties.Description, `${LAYER}@${installed}`);
  });

  it('is environment-agnostic: no region and no account id without AWS configuration', () => {
    const text = textWithoutCdkMetadata(template);
    assert.doesNotMatch(text, REGION);
    assert.doesNotMatch(text, /\b\d{12}\b/);
  });

  it('deploys the layer-common patch version pinned at the top level', () => {
    npm(['install', layerCommonRelease('0.1.1')], dir);
    const [layer] = resources(synth(dir), 'AWS::Lambda::LayerVersion');
    assert.equal(layer.Properties.Description, `${LAYER}@0.1.1`);
  });

  it('refuses a layer-common outside the range the bundles were built against', () => {
    npm(['install', layerCommonRelease('0.2.0')], dir);
    const output = shFails('npx', ['cdk', 'synth', '--quiet', '--no-notices'], {
      cwd: dir,
      env: noAwsEnv(),
    });
    assert.match(output, /layer-common@0\.2\.0 .* is outside \^0\.1\.0/);
  });
});

describe('the workspace app, synthesized by the CDK CLI without AWS configuration', () => {
  it('names no region and no account id in any template', () => {
    const root = join(import.meta.dirname, '..', '..', 'packages', 'app');
    const out = scratch('app-synth-');
    mkdirSync(out, { recursive: true });
    sh('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--output', out], {
      cwd: root,
      env: noAwsEnv(),
    });
    const all = templates(out);
    assert.ok(Object.keys(all).length >= 7);
    for (const [name, template] of Object.entries(all)) {
      const text = textWithoutCdkMetadata(template);
      assert.doesNotMatch(text, REGION, name);
      assert.doesNotMatch(text, /\b\d{12}\b/, name);
    }
  });
});
