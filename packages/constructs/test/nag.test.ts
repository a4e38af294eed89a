import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aspects, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AwsSolutionsChecks as AwsSolutionsChecksV2 } from 'cdk-nag-v2';
import {
  PlatformData,
  PlatformService,
  SecurityAssistantPlatform,
  SecurityAssistantPlatformProps,
} from '../src';
import { STAGES, Stage } from '../src/private/presets';

interface Report {
  readonly pluginReports: { readonly pluginName: string; readonly violations: unknown[] }[];
}

/** Given an app checked by cdk-nag's AwsSolutions pack, when it synthesizes, then its report. */
function synthWithNag(
  stage: Stage,
  extra?: (stack: Stack) => void,
  props: Partial<SecurityAssistantPlatformProps> = {},
): Report {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'nag-')) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, `Platform-${stage}`);
  new SecurityAssistantPlatform(stack, 'Platform', { ...props, stage });
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

  test.each([
    ['a Slack webhook notifier', { webhookUrlParameterName: '/ops/slack-webhook' }],
    ['an AWS Chatbot channel', { workspaceId: 'T0123456', channelId: 'C0123456' }],
  ])('the prod platform with %s synthesizes with zero unacknowledged findings', (_, slack) => {
    const report = synthWithNag('prod', undefined, { slack });
    expect(report.pluginReports.flatMap((r) => r.violations)).toEqual([]);
  });

  test('the data and service parts in two stacks synthesize with zero unacknowledged findings', () => {
    // cross-stack grants name their resources through Fn::ImportValue, not Fn::GetAtt
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'nag-')) });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const data = new PlatformData(new Stack(app, 'Data'), 'Data', { stage: 'staging' });
    new PlatformService(new Stack(app, 'Service'), 'Service', { stage: 'staging', data });
    const assembly = app.synth();
    const report = JSON.parse(
      readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
    ) as Report;
    expect(report.pluginReports.flatMap((r) => r.violations)).toEqual([]);
  });

  test('fails the synth on a finding the construct does not acknowledge', () => {
    expect(() =>
      synthWithNag('dev', (stack) => {
        new s3.Bucket(stack, 'Unlogged', { enforceSSL: true });
      }),
    ).toThrow(/AwsSolutions-S1/);
  });
});

describe('cdk-nag 2 (Aspects) users', () => {
  /** Given an app checked the cdk-nag 2 way, when it synthesizes, then its error annotations. */
  function nagV2Errors(build: (app: App) => void): string[] {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'nag2-')) });
    Aspects.of(app).add(new AwsSolutionsChecksV2());
    build(app);
    app.synth();
    return app.node
      .findAll()
      .filter(Stack.isStack)
      .flatMap((stack) =>
        Annotations.fromStack(stack)
          .findError('*', Match.stringLikeRegexp('AwsSolutions-'))
          .map((m) => `${m.id}: ${String(m.entry.data).split('\n')[0]}`),
      );
  }

  test.each(STAGES)(
    'see no errors on the %s platform: acknowledgements are cdk_nag metadata too',
    (stage) => {
      const errors = nagV2Errors((app) => {
        new SecurityAssistantPlatform(new Stack(app, `Platform-${stage}`), 'Platform', { stage });
      });
      expect(errors).toEqual([]);
    },
  );

  test('see no errors with the data and service parts in two stacks', () => {
    const errors = nagV2Errors((app) => {
      const data = new PlatformData(new Stack(app, 'Data'), 'Data', { stage: 'prod' });
      new PlatformService(new Stack(app, 'Service'), 'Service', { stage: 'prod', data });
    });
    expect(errors).toEqual([]);
  });

  test('still see findings the construct does not acknowledge', () => {
    const errors = nagV2Errors((app) => {
      const stack = new Stack(app, 'Platform');
      new SecurityAssistantPlatform(stack, 'Platform', { stage: 'dev' });
      new s3.Bucket(stack, 'Unlogged', { enforceSSL: true });
    });
    expect(errors.join('\n')).toMatch(/AwsSolutions-S1/);
  });
});
