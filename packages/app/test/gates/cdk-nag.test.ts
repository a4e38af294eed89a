import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { synthApp } from '../support/synth';

/** Acknowledgements recorded with Validations.of(...).acknowledge(), by construct path. */
function acknowledgements(root: IConstruct): Array<{ path: string; rule: string; reason: string }> {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([rule, reason]) => ({
          path: c.node.path,
          rule,
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions gate', () => {
  it('passes on dev, staging and prod with zero unacknowledged findings', () => {
    // createApp registers AwsSolutionsChecks; synthesis throws on any unacknowledged finding
    // and leaves validation-report.json behind, which we print to make a failure readable.
    let outdir: string | undefined;
    try {
      const result = synthApp();
      outdir = result.outdir;
      expect(Object.keys(result.templates)).toHaveLength(7); // data and service per environment, and the account stack
    } catch (err) {
      const report = outdir ? readFileSync(join(outdir, 'validation-report.json'), 'utf8') : '';
      throw new Error(`${(err as Error).message}\n${report}`);
    }
  });

  it('gives every acknowledgement a specific reason', () => {
    const { app } = synthApp();
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    // A reason says why this resource is fine, not just that it is: at least a sentence,
    // and not one boilerplate sentence pasted on every rule.
    const vague = acks.filter((a) => a.reason.trim().split(/\s+/).length < 6);
    expect(vague).toEqual([]);
    expect(new Set(acks.map((a) => a.reason)).size).toBeGreaterThan(1);
  });

  it('fails synthesis on an unacknowledged finding (the gate can fail)', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    new s3.CfnBucket(new Stack(app, 'Insecure'), 'Bucket', {});
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });
});
