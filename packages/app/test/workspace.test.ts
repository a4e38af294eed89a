import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// What `nx affected` would touch for a change to one file, from the generated nx.json and
// the package dependency graph (no git history needed: --files names the change).
const ROOT = join(__dirname, '..', '..', '..');

function affectedBy(file: string): string[] {
  const out = execFileSync(
    'npx',
    ['nx', 'show', 'projects', '--affected', `--files=${file}`, '--json'],
    {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      encoding: 'utf8',
    },
  );
  return (JSON.parse(out) as string[]).map((p) => p.replace('@security-assistant/', '')).sort();
}

describe('nx affected', () => {
  it('a change in deploy-hooks reaches the construct and the app, never functions', () => {
    expect(affectedBy('packages/deploy-hooks/src/errors.ts')).toEqual([
      'app',
      'constructs',
      'deploy-hooks',
    ]);
  });

  it('a change in layer-common reaches every package', () => {
    expect(affectedBy('packages/layer-common/src/index.ts')).toEqual([
      'app',
      'constructs',
      'deploy-hooks',
      'functions',
      'layer-common',
    ]);
  });

  it('a change in the app reaches only the app', () => {
    expect(affectedBy('packages/app/src/app.ts')).toEqual(['app']);
  });
});
