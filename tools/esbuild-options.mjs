// esbuild settings shared by the layer and the handler bundles: ESM, minified, source maps,
// for the Lambda Node.js runtime. `require` is recreated because bundled CommonJS
// dependencies (the AWS SDK among them) call it for Node built-ins.
export const LAMBDA_TARGET = 'node22';

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
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
  metafile: true,
};
