import { JsonFile, javascript, typescript } from 'projen';
import { addNx } from './projenrc/nx';
import { addRootTasks } from './projenrc/root-tasks';
import { addWorkflows } from './projenrc/workflows';
import { VERSIONS, WorkspaceInstall, WorkspacePackage } from './projenrc/workspace-package';

const root = new typescript.TypeScriptProject({
  name: '@security-assistant/root',
  description: 'Security Assistant Platform: CDK construct libraries and their Lambda code',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  typescriptVersion: VERSIONS.typescript,
  minNodeVersion: '20.0.0',
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
  devDeps: [`nx@${VERSIONS.nx}`, `constructs@${VERSIONS.constructs}`],
  gitignore: ['.venv/', '.nx/', 'cdk.out/', '*.tsbuildinfo', '/lib/'],
});
root.package.addField('private', true);
root.package.addField('workspaces', ['packages/*']);

const sdk = (clients: string[]) => clients.map((c) => `@aws-sdk/${c}@${VERSIONS.awsSdk}`);

const layerCommon = new WorkspacePackage(root, {
  dir: 'layer-common',
  description:
    'Shared Lambda layer of the Security Assistant Platform: logging, configuration, job model and errors',
  publishable: true,
  version: '0.1.0',
  deps: [
    `@aws-lambda-powertools/logger@${VERSIONS.powertools}`,
    `@aws-lambda-powertools/parameters@${VERSIONS.powertools}`,
    ...sdk(['client-ssm']),
  ],
  devDeps: [`esbuild@${VERSIONS.esbuild}`],
  postCompile: ['node ../../tools/build-layer.mjs'],
  extraOutputs: ['dist', 'layer'],
  gitignore: ['/layer/'],
});
layerCommon.package.addField('exports', {
  '.': {
    types: './lib/index.d.ts',
    import: './dist/index.mjs',
    require: './lib/index.js',
  },
  './parameters': {
    types: './lib/parameters/index.d.ts',
    import: './dist/parameters.mjs',
    require: './lib/parameters/index.js',
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

const functions = new WorkspacePackage(root, {
  dir: 'functions',
  description: 'Lambda handlers of the Security Assistant Platform, pre-bundled with esbuild',
  publishable: true,
  version: '0.1.0',
  deps: [`${layerCommon.package.packageName}@^0.1.0`],
  devDeps: [
    ...handlerDevDeps,
    ...sdk(['client-dynamodb', 'lib-dynamodb', 'client-s3', 'client-sqs', 'client-sns', 's3-request-presigner']),
    'pdf-lib@^1.17.1',
  ],
  postCompile: ['node ../../tools/bundle-handlers.mjs'],
  srcMayUseDevDependencies: true,
  extraOutputs: ['dist'],
  jestConfig: MOTO_JEST,
});

const deployHooks = new WorkspacePackage(root, {
  dir: 'deploy-hooks',
  description: 'CodeDeploy pre-traffic and post-traffic validation hooks of the Security Assistant Platform',
  publishable: true,
  version: '0.1.0',
  deps: [`${layerCommon.package.packageName}@^0.1.0`],
  devDeps: [
    ...handlerDevDeps,
    ...sdk(['client-codedeploy', 'client-lambda', 'client-dynamodb', 'client-s3', 'client-sqs']),
    'aws-sdk-client-mock@^4.1.0',
  ],
  postCompile: ['node ../../tools/bundle-handlers.mjs'],
  srcMayUseDevDependencies: true,
  extraOutputs: ['dist'],
  jestConfig: MOTO_JEST,
});

const cdkDeps = [`aws-cdk-lib@${VERSIONS.awsCdkLib}`, `constructs@${VERSIONS.constructs}`];

const constructs = new WorkspacePackage(root, {
  dir: 'constructs',
  description: 'SecurityAssistantPlatform: the L3 CDK construct of the Security Assistant Platform',
  publishable: true,
  version: '0.1.0',
  deps: [
    `${layerCommon.package.packageName}@^0.1.0`,
    `${functions.package.packageName}@^0.1.0`,
    `${deployHooks.package.packageName}@^0.1.0`,
  ],
  peerDeps: [`aws-cdk-lib@^${VERSIONS.awsCdkLib}`, `constructs@^${VERSIONS.constructs}`],
  devDeps: [...cdkDeps, `cdk-nag@${VERSIONS.cdkNag}`],
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
    ...sdk(['client-dynamodb', 'client-sqs', 'client-s3', 'client-sns', 'client-ssm']),
    '@types/aws-lambda@^8',
    'pdf-lib@^1.17.1',
  ],
  gitignore: ['/cdk.out/'],
});

// The CDK CLI runs the compiled app; `synth`/`deploy:*` build it first.
new JsonFile(app, 'cdk.json', {
  obj: {
    app: 'node lib/main.js',
    output: 'cdk.out',
  },
});

new WorkspaceInstall(root);
addNx(root);
addRootTasks(root, app);
addWorkflows(root);

root.synth();
