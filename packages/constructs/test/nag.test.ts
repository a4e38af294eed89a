import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { STAGES, SecurityAssistantPlatform, Stage } from '../src';

interface Report {
  readonly pluginReports: { readonly pluginName: string; readonly violations: unknown[] }[];
}

/** Given an app checked by cdk-nag's AwsSolutions pack, when it synthesizes, then its report. */
function synthWithNag(stage: Stage, extra?: (stack: Stack) => void): Report {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'nag-')) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, `Platform-${stage}`);
  new SecurityAssistantPlatform(stack, 'Platform', { stage });
  extra?.(stack);
  const assembly = app.synth();
  return JSON.parse(
    readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as Report;
}

describe('cdk-nag AwsSolutions gate', () => {
  test.each(STAGES)('the %s platform synthesizes with zero unacknowledged findings', (stage) => {
    const report = synthWithNag(stage);
    const nag = report.pluginReports.filter((r) => /AwsSolutions/.test(r.pluginName));
    expect(nag.flatMap((r) => r.violations)).toEqual([]);
  });

  test('fails the synth on a finding the construct does not acknowledge', () => {
    expect(() =>
      synthWithNag('dev', (stack) => {
        new s3.Bucket(stack, 'Unlogged', { enforceSSL: true });
      }),
    ).toThrow(/AwsSolutions-S1/);
  });
});
