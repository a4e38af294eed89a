import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTION_NAMES, HANDLER, handlerAssetPath } from '../src';

/**
 * Checks the artifacts `post-compile` builds (run it first; `npx projen build` does).
 *
 * Budgets, in bytes of minified ESM: the spec's 10 KB for a handler without an SDK client
 * (health) and 350 KB for the others, each held here near its measured size so growth shows.
 */
const BUDGETS: Record<(typeof FUNCTION_NAMES)[number], number> = {
  health: 10 * 1024,
  // environment-only credentials (tools/lambda-credentials.mjs) took ~115 KiB off each SDK handler
  'dlq-processor': 260 * 1024, // DynamoDB + SNS ≈ 246 KiB
  status: 225 * 1024, // DynamoDB + Smithy's SigV4 signer (no S3 client) ≈ 211 KiB
  // S3 through fetch and SigV4 (adapters/s3-fetch-store.ts), not the S3 client
  'process-drawing': 262 * 1024, // DynamoDB + SQS + signer ≈ 248 KiB; the spec's 350 KB holds
  processor: 270 * 1024, // DynamoDB + SQS + signer ≈ 255 KiB (pdf.js is in pdf.worker.mjs)
  notifier: 10 * 1024, // no SDK client: SSM through the layer's parameters entry ≈ 1.8 KiB
};

describe.each(FUNCTION_NAMES)('the %s bundle', (name) => {
  const bundle = join(handlerAssetPath(name), 'index.mjs');

  test('exists where handlerAssetPath says, exporting the handler', () => {
    expect(existsSync(bundle)).toBe(true);
    expect(HANDLER).toBe('index.handler');
    expect(readFileSync(bundle, 'utf8')).toMatch(
      /export\s*\{[^}]*\bas handler\b|export\s*\{[^}]*\bhandler\b/,
    );
  });

  test('imports layer-common from the layer instead of bundling it (health excepted)', () => {
    if (name === 'health') return;
    const code = readFileSync(bundle, 'utf8');

    expect(code).toMatch(/from"@security-assistant\/layer-common(\/core)?"/);
    // Strings only layer-common's own code contains
    expect(code).not.toContain('deploymentProbe');
    expect(code).not.toContain('is required but not set');
    expect(code).not.toContain('@aws-lambda-powertools');
  });

  test('reads credentials from the environment only, as Lambda provides them', () => {
    const code = readFileSync(bundle, 'utf8');
    if (name === 'health' || name === 'notifier') return; // no SDK client of their own
    expect(code).toContain('AWS_ACCESS_KEY_ID');
    // none of the default chain's other providers (web identity, SSO, container, INI files)
    for (const marker of [
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'sso_start_url',
      'AWS_CONTAINER_CREDENTIALS',
    ]) {
      expect(code).not.toContain(marker);
    }
  });

  test('health is one self-contained file with layer-common core and no Powertools', () => {
    if (name !== 'health') return;
    const code = readFileSync(bundle, 'utf8');
    expect(code).not.toMatch(/\bfrom\s*"|\bimport\s*\(|\brequire\(/);
    expect(code).toContain('deploymentProbe');
    expect(code).not.toMatch(/POWERTOOLS_|@aws-sdk/);
  });

  test(`stays within its size budget`, () => {
    expect(statSync(bundle).size).toBeLessThanOrEqual(BUDGETS[name]);
  });
});

describe("the processor's PDF worker", () => {
  const worker = join(handlerAssetPath('processor'), 'pdf.worker.mjs');

  test('sits next to the processor, self-contained, and only the processor has pdf.js', () => {
    const code = readFileSync(worker, 'utf8');
    expect(code).not.toContain('from"@security-assistant/layer-common"');
    expect(code).toContain('PasswordException');
    for (const name of FUNCTION_NAMES) {
      expect(readFileSync(join(handlerAssetPath(name), 'index.mjs'), 'utf8')).not.toContain(
        'PasswordException',
      );
    }
  });

  test('stays within its size budget (pdf.js serverless build ≈ 1.55 MiB)', () => {
    expect(statSync(worker).size).toBeLessThanOrEqual(1700 * 1024);
  });
});
