import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, AppProps } from 'aws-cdk-lib';
import { createApp } from '../../src';

export interface Synthesized {
  readonly app: App;
  readonly outdir: string;
  /** stack name → template path */
  readonly templates: Record<string, string>;
}

/** Synthesizes the whole app (all environments, cdk-nag enabled) into a fresh folder. */
export function synthApp(props: AppProps = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'security-assistant-app-'));
  const app = createApp({ ...props, outdir });
  app.synth();
  const templates = Object.fromEntries(
    readdirSync(outdir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => [f.replace('.template.json', ''), join(outdir, f)]),
  );
  return { app, outdir, templates };
}

export function readTemplate(path: string): {
  Resources: Record<string, { Type: string; Properties?: any }>;
} {
  return JSON.parse(readFileSync(path, 'utf8'));
}
