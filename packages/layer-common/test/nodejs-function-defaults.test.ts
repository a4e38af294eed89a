import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * NodejsFunction's defaults in aws-cdk-lib (aws-lambda-nodejs/lib/bundling.ts): esbuild with
 * --platform=node, a --target from the runtime, no --format (so CommonJS), no --minify, and
 * `@aws-sdk/*` external on Node.js 18+ runtimes (the runtime provides the SDK).
 */
const NODEJS_FUNCTION_DEFAULTS = {
  bundle: true,
  platform: 'node' as const,
  target: 'node24',
  external: ['@aws-sdk/*'],
  logLevel: 'silent' as const,
};

describe('a handler that imports layer-common, built with NodejsFunction defaults', () => {
  test('loads and runs: the layer bundles need no import.meta.url in CommonJS', async () => {
    // Given the handler bundled the way NodejsFunction bundles it
    const outfile = join(mkdtempSync(join(tmpdir(), 'nodejs-function-')), 'index.js');
    const result = buildSync({
      ...NODEJS_FUNCTION_DEFAULTS,
      entryPoints: [join(__dirname, 'fixtures', 'consumer-handler.ts')],
      outfile,
      metafile: true,
    });
    // (it took layer-common's ESM entry point, the one the layer ships)
    expect(
      Object.keys(result.metafile!.inputs).some((i) => /(^|\/)dist\/index\.mjs$/.test(i)),
    ).toBe(true);

    // When the runtime loads it and calls the handler
    process.env.STAGE = 'dev';
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(outfile) as {
        handler: () => Promise<{ statusCode: number; body: string }>;
      };
      const response = await mod.handler();

      // Then it answers
      expect(response).toEqual({ statusCode: 200, body: JSON.stringify({ stage: 'dev' }) });
    } finally {
      write.mockRestore();
      delete process.env.STAGE;
    }
  });
});
