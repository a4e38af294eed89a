import { JsonFile, javascript, typescript } from 'projen';
import { addNx } from './projenrc/nx';
import { addRootTasks } from './projenrc/root-tasks';
import { addWorkflows } from './projenrc/workflows';
import {
  JsiiWorkspacePackage,
  VERSIONS,
  WorkspaceInstall,
  WorkspacePackage,
} from './projenrc/workspace-package';

const root = new typescript.TypeScriptProject({
  name: '@security-assistant/root',
  description: 'Security Assistant Platform: CDK construct libraries and their Lambda code',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  typescriptVersion: VERSIONS.typescript,
  minNodeVersion: '22.0.0', // Node 20 is out of support; CI runs 22 (locally 20 still works: npm only warns)
  sampleCode: false,
  srcdir: 'projenrc',
  disableTsconfigDev: true,
  jest: false,
  eslint: false,
  prettier: true,
  prettierOptions: { settings: { singleQuote: true, printWidth: 100 } },
  github: true,
  githubOptions: { mergify: false, pullRequestLint: false },
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  package: false,
  licensed: true,
  license: 'Apache-2.0',
  copyrightOwner: 'Security Assistant Platform contributors',
  devDeps: [
    `nx@${VERSIONS.nx}`,
    // nx release's version actions for npm packages
    `@nx/js@${VERSIONS.nx}`,
    `constructs@${VERSIONS.constructs}`,
    // package hygiene checks of the packed tarballs (tools/consumers)
    'publint@0.3.25',
    '@arethetypeswrong/cli@0.18.5',
    // the workflow tests read the generated YAML
    'yaml@^2.8.0',
    // rollback:<stage> (tools/rollback.mjs)
    `@aws-sdk/client-codedeploy@${VERSIONS.awsSdk}`,
    `@aws-sdk/client-lambda@${VERSIONS.awsSdk}`,
    // preflight:<stage> and rehearse:<stage> (tools/deploy-checks): read-only account checks,
    // and what a rehearsal deploy created
    ...[
      'client-api-gateway',
      'client-cloudformation',
      'client-cloudwatch-logs',
      'client-cost-explorer',
      'client-dynamodb',
      'client-s3',
      'client-sns',
      'client-sqs',
      'client-sts',
    ].map((c) => `@aws-sdk/${c}@${VERSIONS.awsSdk}`),
    // preflight's Chatbot read, signed by hand: the SDK's Chatbot client is unmaintained and
    // its old Smithy, hoisted, changed what the handler bundles resolve (and their size)
    '@smithy/signature-v4@^5.7.5',
    '@aws-sdk/credential-provider-node@^3.972.97',
    // the release workflow publishes the construct to Maven Central and to its Go repository
    'publib@0.2.1061',
    // upgrade-check: what CloudFormation would replace between two releases' templates
    '@aws-cdk/cloudformation-diff@^2.187.5',
  ],
  gitignore: [
    '.venv/',
    '.nx/',
    'cdk.out/',
    '*.tsbuildinfo',
    '/lib/',
    // left by deploy runs (tools/deploy.sh)
    'cdk-outputs.json',
    '/cloud-assembly/',
    // the README walk-through's sample drawing (npx projen sample-drawing)
    '/plan.pdf',
  ],
});
root.package.addField('private', true);
root.package.addField('workspaces', ['packages/*']);
// One aws-cdk-lib for the whole workspace (two copies break construct instanceof checks): the
// construct's floor, which every registry its bindings resolve from has (decision 0015).
root.package.addField('overrides', {
  'aws-cdk-lib': VERSIONS.awsCdkLib,
  // The construct's Go module requires the installed version of each jsii dependency: this is
  // the one aws-cdk-lib's Go module requires, which the Go module proxy has (newer 54.x: not).
  '@aws-cdk/cloud-assembly-schema': VERSIONS.cloudAssemblySchema,
});

const sdk = (clients: string[]) => clients.map((c) => `@aws-sdk/${c}@${VERSIONS.awsSdk}`);
/** The Lambda bundles' only credential provider (tools/lambda-credentials.mjs). */
const CREDENTIALS_ENV = '@aws-sdk/credential-provider-env@^3.972.84';

const layerCommon = new WorkspacePackage(root, {
  dir: 'layer-common',
  description:
    'Shared Lambda layer of the Security Assistant Platform: logging, configuration, job model and errors',
  publishable: true,
  version: '0.1.0',
  deps: [
    `@aws-lambda-powertools/logger@${VERSIONS.powertools}`,
    `@aws-lambda-powertools/metrics@${VERSIONS.powertools}`,
    `@aws-lambda-powertools/parameters@${VERSIONS.powertools}`,
    ...sdk(['client-ssm']),
  ],
  devDeps: [`esbuild@${VERSIONS.esbuild}`, CREDENTIALS_ENV],
  postCompile: ['node ../../tools/build-layer.mjs'],
  extraOutputs: ['dist', 'layer'],
  gitignore: ['/layer/'],
  files: [
    'lib/**/*.js',
    'lib/**/*.d.ts',
    'dist/**/*.mjs',
    'dist/**/*.d.mts',
    'layer/**/*.mjs',
    'layer/**/package.json',
    'parameters/package.json',
    'core/package.json',
  ],
});
layerCommon.package.addField('exports', {
  // Each condition carries its own types, so ESM importers get ESM types (.d.mts) and
  // CommonJS requirers CommonJS ones.
  '.': {
    import: { types: './dist/index.d.mts', default: './dist/index.mjs' },
    require: { types: './lib/index.d.ts', default: './lib/index.js' },
  },
  './parameters': {
    import: { types: './dist/parameters.d.mts', default: './dist/parameters.mjs' },
    require: { types: './lib/parameters/index.d.ts', default: './lib/parameters/index.js' },
  },
  // configuration, errors and the probe without Powertools: for handlers that log nothing
  './core': {
    import: { types: './dist/core.d.mts', default: './dist/core.mjs' },
    require: { types: './lib/core/index.d.ts', default: './lib/core/index.js' },
  },
  './package.json': './package.json',
});

/** Handler tests run against a moto server that jest starts once per package run. */
const MOTO_JEST = {
  globalSetup: '<rootDir>/../../tools/testing/moto-global-setup.cjs',
  globalTeardown: '<rootDir>/../../tools/testing/moto-global-teardown.cjs',
  testTimeout: 30_000,
};

const handlerDevDeps = [`esbuild@${VERSIONS.esbuild}`, '@types/aws-lambda@^8'];

/**
 * The layer-common range the handler bundles are built against. The bundles import it from
 * the layer at run time, so it is a peer: whoever deploys them provides a matching layer.
 * The build records it next to the bundles (dist/layer-common-range.json) and the construct
 * refuses a layer outside it.
 */
const LAYER_RANGE = '^0.1.0';

/** What a handler package publishes: its library code and the bundles, no source maps. */
const HANDLER_FILES = ['lib/**/*.js', 'lib/**/*.d.ts', 'dist/**/*.mjs', 'dist/*.json'];

const functions = new WorkspacePackage(root, {
  dir: 'functions',
  description: 'Lambda handlers of the Security Assistant Platform, pre-bundled with esbuild',
  publishable: true,
  version: '0.1.0',
  peerDeps: [`${layerCommon.package.packageName}@${LAYER_RANGE}`],
  devDeps: [
    ...handlerDevDeps,
    ...sdk([
      'client-dynamodb',
      'lib-dynamodb',
      'client-s3',
      'client-sqs',
      'client-sns',
      // the gemini analyser's tests seed the model key in the emulator's SSM
      'client-ssm',
    ]),
    CREDENTIALS_ENV,
    // the status handler presigns with the signer alone, without the S3 client; its test
    // compares with the SDK's own S3 presigner
    '@smithy/signature-v4@^5.7.5',
    `@aws-sdk/s3-request-presigner@${VERSIONS.awsSdk}`,
    'pdf-lib@^1.17.1',
    // pdf.js (serverless build), bundled into the processor's PDF worker only
    'unpdf@^1.8.1',
  ],
  // the processor reads drawings with pdf.js in a worker thread, bundled next to it
  postCompile: [
    'node ../../tools/bundle-handlers.mjs --extra processor/pdf.worker=src/pdf/worker.ts --self-contained health',
  ],
  srcMayUseDevDependencies: true,
  extraOutputs: ['dist'],
  jestConfig: MOTO_JEST,
  files: HANDLER_FILES,
});

const deployHooks = new WorkspacePackage(root, {
  dir: 'deploy-hooks',
  description: 'CodeDeploy pre-traffic and post-traffic validation hooks of the Security Assistant Platform',
  publishable: true,
  version: '0.1.0',
  peerDeps: [`${layerCommon.package.packageName}@${LAYER_RANGE}`],
  devDeps: [
    ...handlerDevDeps,
    ...sdk([
      'client-codedeploy',
      'client-cloudwatch',
      'client-lambda',
      'client-dynamodb',
      'client-s3',
      'client-sqs',
    ]),
    CREDENTIALS_ENV,
    'aws-sdk-client-mock@^4.1.0',
  ],
  postCompile: ['node ../../tools/bundle-handlers.mjs'],
  srcMayUseDevDependencies: true,
  extraOutputs: ['dist'],
  jestConfig: MOTO_JEST,
  files: HANDLER_FILES,
});

const cdkDeps = [`aws-cdk-lib@${VERSIONS.awsCdkLib}`, `constructs@${VERSIONS.constructs}`];

/**
 * The construct library (jsii: npm + Python). The bundles and the layer it deploys are copied
 * into its own `assets/` at build time, so the npm tarball and the wheel carry them: no
 * runtime dependency on the three asset packages (docs/decisions/0005).
 */
const constructs = new JsiiWorkspacePackage(root, {
  dir: 'constructs',
  description: 'SecurityAssistantPlatform: the L3 CDK construct of the Security Assistant Platform',
  publishable: true,
  version: '0.1.0',
  cdkVersion: VERSIONS.awsCdkLib,
  python: { distName: 'security-assistant-constructs', module: 'security_assistant_constructs' },
  // names: docs/decisions/0015
  java: {
    groupId: 'io.github.security-assistant',
    artifactId: 'security-assistant-constructs',
    package: 'io.github.securityassistant.constructs',
  },
  go: {
    moduleName: 'github.com/security-assistant/security-assistant-constructs-go',
    packageName: 'securityassistantconstructs',
  },
  devDeps: [
    `${layerCommon.package.packageName}@^0.1.0`,
    `${functions.package.packageName}@^0.1.0`,
    `${deployHooks.package.packageName}@^0.1.0`,
    `cdk-nag@${VERSIONS.cdkNag}`,
    // cdk-nag 2 users acknowledge through metadata; the gate test runs both majors
    `cdk-nag-v2@npm:cdk-nag@${VERSIONS.cdkNagV2}`,
  ],
  // openapi.json: the API's OpenAPI document, from the contract the construct builds the API from
  postCompile: ['node ../../tools/embed-assets.mjs', 'node ../../tools/openapi.mjs'],
  extraOutputs: ['assets', '.jsii', 'API.md', 'openapi.json'],
  gitignore: ['/assets/'],
  files: [
    'lib/**/*.js',
    'lib/**/*.d.ts',
    '.jsii',
    'assets/**/*.mjs',
    'assets/**/*.json',
    'API.md',
    'openapi.json',
  ],
});

const app = new WorkspacePackage(root, {
  dir: 'app',
  description: 'The CDK app that deploys the Security Assistant Platform to dev, staging and prod',
  publishable: false,
  version: '0.1.0',
  deps: [
    `${constructs.package.packageName}@^0.1.0`,
    // the local platform runs the functions' bundles
    `${functions.package.packageName}@^0.1.0`,
    ...cdkDeps,
    `cdk-nag@${VERSIONS.cdkNag}`,
  ],
  srcMayUseDevDependencies: true,
  devDeps: [
    `aws-cdk@${VERSIONS.awsCdkCli}`,
    // the local platform (src/local) and its end-to-end tests
    ...sdk([
      'client-cloudwatch',
      'client-dynamodb',
      'client-sqs',
      'client-s3',
      'client-sns',
      'client-ssm',
    ]),
    // the fault test reads jobs back from DynamoDB; this package is versioned apart from the clients
    '@aws-sdk/util-dynamodb@^3.996.9',
    '@types/aws-lambda@^8',
    'pdf-lib@^1.17.1',
    // the API's typed client (src/client), generated from the construct's openapi.json, and
    // the contract tests that check every answer against that document
    'openapi-typescript@7.13.0',
    'openapi-fetch@0.17.0',
    'ajv@^8.20.0',
    'ajv-formats@^3.0.1',
  ],
  gitignore: ['/cdk.out/'],
});
// The client's types are generated before every compile (checked in: check-api-docs).
const CLIENT_SCHEMA = 'src/client/schema.ts';
app.compileTask.prependExec(
  `openapi-typescript ../constructs/openapi.json --output ${CLIENT_SCHEMA} --empty-objects-unknown`,
);
app.eslint?.addIgnorePattern(CLIENT_SCHEMA);
app.prettier?.addIgnorePattern(CLIENT_SCHEMA);

// The CDK CLI runs the compiled app; `synth`/`deploy:*` build it first.
new JsonFile(app, 'cdk.json', {
  obj: {
    app: 'node lib/main.js',
    output: 'cdk.out',
  },
});

// Drawing fixtures are bytes: `text=auto` would rewrite their line ends and break their offsets.
for (const project of [root, layerCommon, functions, deployHooks, constructs, app]) {
  project.gitattributes.addAttributes('*.pdf', 'binary', '-text', '-eol');
}

new WorkspaceInstall(root);
addNx(root, [layerCommon, functions, deployHooks, constructs]);
addRootTasks(root, app);
addWorkflows(root);

root.synth();
