import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { PACKAGE_DIRS_CONTEXT, artifactPath, locatePackage } from '../../src/private/artifacts';
import { installedVersion, synthPlatform } from '../helpers';

/** A package folder with a package.json and the given built folders. */
function fakePackage(name: string, folders: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'artifacts-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '9.8.7' }));
  for (const folder of folders) {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, 'index.mjs'), 'export const handler = async () => ({});\n');
  }
  return dir;
}

describe('artifacts', () => {
  test('finds an installed package through its package.json and reads its version', () => {
    const pkg = locatePackage(new App(), '@security-assistant/layer-common');
    expect(pkg.dir).toBe(dirname(require.resolve('@security-assistant/layer-common/package.json')));
    expect(pkg.version).toBe(installedVersion('@security-assistant/layer-common'));
  });

  test('fails if an artifact folder is missing, naming the package and the build command', () => {
    const dir = fakePackage('@security-assistant/functions', []);
    const pkg = { name: '@security-assistant/functions', dir, version: '9.8.7' };
    expect(() => artifactPath(pkg, 'dist/status')).toThrow(
      /@security-assistant\/functions has no built artifact 'dist\/status'.*npx nx run-many -t build/,
    );
  });

  test('fails if the platform is synthesized before the functions are built', () => {
    const dir = fakePackage('@security-assistant/functions', ['dist/status']);
    expect(() =>
      synthPlatform(
        { stage: 'dev' },
        { [PACKAGE_DIRS_CONTEXT]: { '@security-assistant/functions': dir } },
      ),
    ).toThrow(
      /@security-assistant\/functions has no built artifact 'dist\/process-drawing'.*npx nx run-many -t build/,
    );
  });

  test('works with a pre-traffic hook alone when deploy-hooks builds no post-traffic hook', () => {
    const hooks = fakePackage('@security-assistant/deploy-hooks', ['dist/pre-traffic']);
    const { template } = synthPlatform(
      { stage: 'dev' },
      { [PACKAGE_DIRS_CONTEXT]: { '@security-assistant/deploy-hooks': hooks } },
    );
    // five functions and one pre-traffic hook each
    template.resourceCountIs('AWS::Lambda::Function', 10);
    for (const alias of Object.values(template.findResources('AWS::Lambda::Alias'))) {
      expect(alias.UpdatePolicy.CodeDeployLambdaAliasUpdate.AfterAllowTrafficHook).toBeUndefined();
    }
  });
});
