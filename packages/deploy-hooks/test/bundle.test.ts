import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Checks the output of `npx projen post-compile` (nx runs `build` before `test`).
const DIST = join(__dirname, '..', 'dist');

describe.each(['pre-traffic', 'post-traffic'])('the %s bundle', (hook) => {
  const file = join(DIST, hook, 'index.mjs');

  it('exists as dist/<hook>/index.mjs, the `index.handler` Lambda entry point', () => {
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
  });

  it('imports layer-common from the layer instead of bundling it', () => {
    const code = readFileSync(file, 'utf8');
    expect(code).toMatch(/from\s*"@security-assistant\/layer-common"/);
    // Text that only layer-common's own code contains (its config and probe modules).
    expect(code).not.toContain('is required but not set');
    expect(code).not.toContain('deploymentProbe');
  });
});
