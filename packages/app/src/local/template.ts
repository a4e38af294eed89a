import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CfnTemplate } from './cfn';
import { PlatformStack } from '../platform-stack';

/** The stage whose template the local platform runs. */
export const LOCAL_STAGE = 'dev';

/**
 * Synthesizes the platform exactly as the app deploys it to `dev` and returns the template:
 * the local platform creates its tables, queues, topic, bucket, routes and event sources
 * from it, so local and cloud cannot drift.
 */
export function synthesizeLocalTemplate(): CfnTemplate {
  const outdir = mkdtempSync(join(tmpdir(), 'security-assistant-local-'));
  try {
    const app = new App({ outdir });
    const stack = new PlatformStack(app, 'SecurityAssistant-local', {
      environment: { stage: LOCAL_STAGE, stackName: 'SecurityAssistant-local', overrides: {} },
    });
    return app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
