// esbuild settings shared by the layer and the handler bundles: ESM, minified, source maps,
// for the Lambda Node.js runtime. No `createRequire(import.meta.url)` banner: every bundled
// dependency resolves to its ES module build (mainFields: module first), so nothing calls
// `require`, and a consumer who re-bundles layer-common into CommonJS (NodejsFunction's
// default) would crash at init on `import.meta.url` (test/nodejs-function-defaults.test.ts
// in layer-common holds both).
import { fileURLToPath } from 'node:url';

export const LAMBDA_TARGET = 'node22';

/** Replaces the SDK's default credential chain with environment credentials (lambda-credentials.mjs). */
const envOnlyCredentials = {
  name: 'env-only-credentials',
  setup(build) {
    const stub = fileURLToPath(new URL('./lambda-credentials.mjs', import.meta.url));
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: stub }));
  },
};

export const esmBundleOptions = {
  bundle: true,
  platform: 'node',
  target: LAMBDA_TARGET,
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  outExtension: { '.js': '.mjs' },
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  metafile: true,
  plugins: [envOnlyCredentials],
};
