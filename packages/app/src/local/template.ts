import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiCaller, PlatformData, PlatformService } from '@security-assistant/constructs';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnTemplate } from './cfn';
import { environments } from '../environments';
import { platformProps } from '../platform-stack';

/** The stage whose template the local platform runs. */
export const LOCAL_STAGE = 'dev';

/**
 * Synthesizes the platform's data and service constructs exactly as the app deploys them to
 * `dev`, in one stack (so no cross-stack imports need emulating), and returns the template:
 * the local platform creates its tables, queues, topic, bucket, routes and event sources from
 * it, so local and cloud cannot drift. `overrides` are what `npx projen local` flags change
 * (the analyser).
 */
export function synthesizeLocalTemplate(
  overrides: { analyser?: string; callers?: ApiCaller[] } = {},
): CfnTemplate {
  const outdir = mkdtempSync(join(tmpdir(), 'security-assistant-local-'));
  try {
    const app = new App({ outdir });
    const environment = environments(() => undefined).find((e) => e.stage === LOCAL_STAGE)!;
    const stack = new Stack(app, 'SecurityAssistant-local');
    const props = platformProps(stack, environment);
    const data = new PlatformData(stack, 'Data', props.data);
    const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
    new PlatformService(stack, 'Service', { ...props.service, ...given, data });
    return app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
