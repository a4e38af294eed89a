import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { synthApp } from '../support/synth';

// cfn-lint is pinned in requirements-dev.txt and installed into .venv by `npx projen venv`
// (the root test task runs it first).
const CFN_LINT = resolve(__dirname, '..', '..', '..', '..', '.venv', 'bin', 'cfn-lint');

/** cfn-lint's exit code is a bit mask: 2 = errors, 4 = warnings, 8 = informational. */
// eslint-disable-next-line no-bitwise
const reportsErrors = (status: number) => (status & 2) !== 0;

/** The repository root, where .cfnlintrc.yaml (the same settings `npx projen lint:templates` uses) sits. */
const ROOT = resolve(__dirname, '..', '..', '..', '..');

function cfnLint(templates: string[]): { status: number; output: string } {
  const result = spawnSync(CFN_LINT, ['--format', 'parseable', ...templates], {
    encoding: 'utf8',
    cwd: ROOT,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

describe('cfn-lint gate', () => {
  beforeAll(() => {
    if (!existsSync(CFN_LINT)) {
      throw new Error(`${CFN_LINT} not found: run 'npx projen venv' from the repository root`);
    }
  });

  it('finds zero errors and zero unlisted warnings in every template', () => {
    const { templates } = synthApp();
    expect(Object.keys(templates)).toHaveLength(7); // data and service per environment, and the account stack
    const { status, output } = cfnLint(Object.values(templates));
    // with .cfnlintrc.yaml: no error, and no warning it does not list with a reason
    expect(output.split('\n').filter((line) => /:[EW]\d{4}:/.test(line))).toEqual([]);
    expect(status).toBe(0);
  });

  it('reports an error on a broken template (the gate can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
    const broken = join(dir, 'broken.template.json');
    writeFileSync(
      broken,
      JSON.stringify({
        Resources: {
          Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } },
        },
      }),
    );
    const { status, output } = cfnLint([broken]);
    expect(reportsErrors(status)).toBe(true);
    expect(output).toMatch(/E\d{4}/);
  });
});
