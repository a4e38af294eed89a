import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAYER_PACKAGE, resolveLayer, satisfiesCaret } from '../../src/private/assets';
import { installedVersion, synthPlatform } from '../helpers';

/** Given an app folder with layer-common `version` installed in its node_modules. */
function appWithLayer(version: string, name = LAYER_PACKAGE, withLayer = true): string {
  const app = mkdtempSync(join(tmpdir(), 'consumer-'));
  const pkg = join(app, 'node_modules', ...name.split('/'));
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name, version }));
  if (withLayer) {
    mkdirSync(join(pkg, 'layer', 'nodejs'), { recursive: true });
  }
  return app;
}

describe('the layer pin', () => {
  test('deploys the layer-common installed in the app, at its version', () => {
    const source = resolveLayer(undefined, appWithLayer('0.1.7'));
    expect(source.version).toBe('0.1.7');
    expect(source.from).toMatch(/the app's node_modules/);
  });

  test('falls back to the copy embedded at build time when the app has none', () => {
    const source = resolveLayer(undefined, mkdtempSync(join(tmpdir(), 'empty-')));
    expect(source.from).toMatch(/embedded/);
    expect(source.version).toBe(installedVersion(LAYER_PACKAGE));
  });

  test('takes an explicit folder before anything installed', () => {
    const dir = join(appWithLayer('0.1.3'), 'node_modules', LAYER_PACKAGE);
    expect(resolveLayer(dir, appWithLayer('0.1.9')).version).toBe('0.1.3');
  });

  test('fails when the installed version is outside the range the bundles were built against', () => {
    expect(() => resolveLayer(undefined, appWithLayer('0.2.0'))).toThrow(
      /@security-assistant\/layer-common@0\.2\.0 \(from the app's node_modules .*\) is outside \^0\.1\.0, the range the @security-assistant\/functions@.* bundles were built against/,
    );
  });

  test('fails when the folder holds another package or an unbuilt layer', () => {
    const other = join(appWithLayer('1.0.0', 'left-pad'), 'node_modules', 'left-pad');
    expect(() => resolveLayer(other)).toThrow(
      /holds left-pad, not @security-assistant\/layer-common/,
    );
    const unbuilt = join(
      appWithLayer('0.1.1', LAYER_PACKAGE, false),
      'node_modules',
      LAYER_PACKAGE,
    );
    expect(() => resolveLayer(unbuilt)).toThrow(/has no built layer\/ folder/);
  });

  test('the platform names its LayerVersion after the version it deploys', () => {
    const dir = join(appWithLayer('0.1.4'), 'node_modules', LAYER_PACKAGE);
    const { template } = synthPlatform({ stage: 'dev', layerCommonDirectory: dir });
    template.hasResourceProperties('AWS::Lambda::LayerVersion', {
      Description: `${LAYER_PACKAGE}@0.1.4`,
    });
  });
});

describe('caret ranges', () => {
  test.each([
    ['0.1.0', '^0.1.0', true],
    ['0.1.9', '^0.1.0', true],
    ['0.2.0', '^0.1.0', false],
    ['0.0.9', '^0.1.0', false],
    ['1.4.0', '^1.2.3', true],
    ['1.2.2', '^1.2.3', false],
    ['2.0.0', '^1.2.3', false],
    ['0.0.3', '^0.0.3', true],
    ['0.0.4', '^0.0.3', false],
    ['0.1.1-rc.1', '^0.1.0', false],
    ['not-a-version', '^0.1.0', false],
  ])('%s satisfies %s: %s', (version, range, expected) => {
    expect(satisfiesCaret(version, range)).toBe(expected);
  });

  test('refuses a range form the handler packages never declare', () => {
    expect(() => satisfiesCaret('0.1.0', '>=0.1.0')).toThrow(/unsupported layer-common range/);
  });
});
