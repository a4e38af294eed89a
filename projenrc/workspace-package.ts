import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Component, JsonFile, awscdk, javascript, typescript } from 'projen';

/** Versions every package shares, so one bump moves the whole workspace. */
export const VERSIONS = {
  typescript: '5.9.3',
  jsii: '~5.9.0', // jsii follows TypeScript's minor version
  jsiiPacmak: '^1.134.0', // jsii-pacmak and jsii-diff release together
  // The construct's floor, and the one aws-cdk-lib of the workspace: the newest that all four
  // registries its bindings resolve from have (npm, PyPI, Maven Central, the Go module proxy),
  // and new enough for cdk-nag 3's granular acknowledgement ids (2.263.0 is not). Decision 0015.
  awsCdkLib: '2.270.0',
  cloudAssemblySchema: '54.11.0', // what aws-cdk-go v2.270.0 requires (see the root overrides)
  constructs: '10.8.1',
  awsSdk: '^3.1000.0',
  powertools: '^2.35.0',
  esbuild: '0.28.2',
  jest: '^29',
  nx: '23.2.1', // the newest whose platform binaries are all on the registry (npm ci needs every one in the lockfile)
  cdkNag: '3.0.2',
  cdkNagV2: '2.38.2', // still the most used major; its users must see the acknowledgements too
  awsCdkCli: '2.1148.1', // aws-cdk@3.0.0 on the registry reads only cloud-assembly schema 43
} as const;

const LINT_DEPS = [
  'eslint-plugin-import@^2.32.0',
  'eslint-import-resolver-typescript@^4.4.5',
  'eslint-plugin-prettier@^5.5.7',
  'eslint-config-prettier@^10.1.8',
];

export interface WorkspacePackageOptions {
  /** Folder name under `packages/`; also the npm name suffix. */
  readonly dir: string;
  /** One-line package description. */
  readonly description: string;
  /** Whether the package is published to npm. */
  readonly publishable: boolean;
  /**
   * Semver of a new package. Once package.json exists, its version wins: releases
   * (`nx release version`) write it there.
   */
  readonly version: string;
  readonly deps?: string[];
  readonly devDeps?: string[];
  readonly peerDeps?: string[];
  /** Commands run after `tsc` in the `build` target (bundling, layer assembly). */
  readonly postCompile?: string[];
  /** Output folders besides `lib/` that `build` writes (nx caches them). */
  readonly extraOutputs?: string[];
  /**
   * `src/` may import devDependencies: the package ships esbuild bundles that contain them,
   * or (the private app) is never installed by anyone.
   */
  readonly srcMayUseDevDependencies?: boolean;
  /** Extra jest configuration. */
  readonly jestConfig?: javascript.JestConfigOptions;
  /** Extra .gitignore lines. */
  readonly gitignore?: string[];
  /** What the published tarball holds (npm `files`), besides README.md and LICENSE. */
  readonly files?: string[];
}

/** Where the project lives; every published package.json points here (provenance needs it). */
export const REPOSITORY = {
  url: 'https://github.com/security-assistant/security-assistant-platform',
};

/** The settings every workspace package shares, whatever its projen base class. */
function commonOptions(parent: javascript.NodeProject, options: WorkspacePackageOptions) {
  return {
    parent,
    outdir: `packages/${options.dir}`,
    name: `@security-assistant/${options.dir}`,
    description: options.description,
    defaultReleaseBranch: 'main',
    packageManager: javascript.NodePackageManager.NPM,
    typescriptVersion: VERSIONS.typescript,
    minNodeVersion: '22.0.0', // Node 20 is out of support; CI runs 22 (locally 20 still works: npm only warns)
    deps: options.deps,
    devDeps: options.devDeps,
    peerDeps: options.peerDeps,
    // Peers are installed by npm (and workspace peers linked); a pinned dev copy would ask the
    // registry for an exact version the workspace no longer has after a release bump.
    peerDependencyOptions: { pinnedDevDependency: false },
    sampleCode: false,
    github: false,
    release: false,
    buildWorkflow: false,
    depsUpgrade: false,
    pullRequestTemplate: false,
    licensed: true,
    license: 'Apache-2.0',
    copyrightOwner: 'Security Assistant Platform contributors',
    repositoryUrl: `git+${REPOSITORY.url}.git`, // jsii projects
    repository: `git+${REPOSITORY.url}.git`, // TypeScript projects
    repositoryDirectory: `packages/${options.dir}`,
    homepage: `${REPOSITORY.url}/tree/main/packages/${options.dir}#readme`,
    prettier: true,
    prettierOptions: { settings: { singleQuote: true, printWidth: 100 } },
    eslint: true,
    eslintOptions: { dirs: ['src'], devdirs: ['test'], commandOptions: { fix: false } },
    jest: true,
    jestOptions: {
      jestVersion: VERSIONS.jest,
      junitReporting: false,
      jestConfig: {
        coverageReporters: ['text-summary', 'lcov'],
        // The spec's CI gate: a package under 80 % fails its test target.
        coverageThreshold: { statements: 80, branches: 80, functions: 80, lines: 80 },
        ...options.jestConfig,
      },
    },
    gitignore: options.gitignore,
    npmignoreEnabled: false,
  };
}

/**
 * What makes a projen project a package of this workspace: it never installs on its own
 * (the root install covers every workspace), publishes exactly its `files` allow-list, and
 * exposes exactly three targets to nx: `build` (compile plus any post-compile steps),
 * `test` (jest) and `lint` (eslint + prettier).
 */
function joinWorkspace(project: typescript.TypeScriptProject, options: WorkspacePackageOptions) {
  // projen adds its ESLint plugins unversioned and resolves them from the package's own
  // node_modules, which a hoisted workspace does not have: pin them instead.
  project.addDevDeps(...LINT_DEPS);
  project.package.addVersion(releasedVersion(options));
  project.package.addField('private', !options.publishable);
  if (options.publishable) {
    project.package.addField('publishConfig', { access: 'public' });
    // lib/ is CommonJS; the ESM bundles say so by their .mjs extension.
    project.package.addField('type', 'commonjs');
    // An allow-list: the tarball holds what a consumer runs, nothing else (no sources,
    // tests, configs or source maps).
    project.package.addField('files', [...(options.files ?? []), 'README.md', 'LICENSE']);
  }

  // Every workspace is installed by the root `npm ci`; a package-level install would
  // create a nested node_modules and a second lockfile. The root reinstalls when any
  // workspace manifest changes (see WorkspaceInstall).
  for (const name of ['install', 'install:ci']) {
    project.tasks.tryFind(name)?.reset('echo "installed by the workspace root"');
  }

  // Compile from scratch: a file deleted from src/ must not live on in lib/ (and so in the
  // published tarball).
  project.compileTask.prependExec(
    `node -e "for (const p of ['lib', 'tsconfig.tsbuildinfo']) require('fs').rmSync(p, { recursive: true, force: true })"`,
  );

  // Bundling and layer assembly run after compile, inside projen's own build chain too.
  for (const cmd of options.postCompile ?? []) {
    project.postCompileTask.exec(cmd);
  }
  project.testTask.reset('jest --passWithNoTests=false', { receiveArgs: true });
  const lint = project.addTask('lint', { description: 'ESLint and Prettier check' });
  lint.spawn(project.eslint!.eslintTask);
  lint.exec('prettier --check "src/**/*.ts" "test/**/*.ts"');

  if (options.srcMayUseDevDependencies) {
    project.eslint!.addRules({
      'import/no-extraneous-dependencies': ['error', { devDependencies: true }],
    });
  }

  // nx sees exactly three targets. projen's `build` chains compile, test and package;
  // nx caches each step on its own, so its `build` is compile + post-compile only.
  project.package.addField('nx', { includedScripts: [] });
  new JsonFile(project, 'project.json', {
    obj: {
      name: project.package.packageName,
      $schema: '../../node_modules/nx/schemas/project-schema.json',
      targets: {
        build: projenTarget(['compile', 'post-compile'], [
          '{projectRoot}/lib',
          ...(options.extraOutputs ?? []).map((o) => `{projectRoot}/${o}`),
        ]),
        test: projenTarget(['test'], ['{projectRoot}/coverage']),
        lint: projenTarget(['lint'], []),
      },
    },
  });
}

/** A TypeScript package of the npm workspace (see {@link joinWorkspace}). */
export class WorkspacePackage extends typescript.TypeScriptProject {
  public readonly dir: string;

  constructor(parent: javascript.NodeProject, options: WorkspacePackageOptions) {
    super({
      ...commonOptions(parent, options),
      package: false,
      tsconfig: {
        compilerOptions: {
          lib: ['es2022'],
          target: 'ES2022',
          skipLibCheck: true,
          esModuleInterop: true,
        },
      },
    });
    this.dir = options.dir;
    joinWorkspace(this, options);
  }
}

/**
 * A jsii construct library of the npm workspace: the same conventions, compiled by jsii
 * into an npm package with a `.jsii` assembly and a Python wheel, with generated API docs.
 */
export class JsiiWorkspacePackage extends awscdk.AwsCdkConstructLibrary {
  public readonly dir: string;

  constructor(parent: javascript.NodeProject, options: WorkspacePackageOptions & JsiiOptions) {
    super({
      ...commonOptions(parent, options),
      author: 'Security Assistant Platform contributors',
      authorAddress: REPOSITORY.url,
      cdkVersion: options.cdkVersion,
      constructsVersion: VERSIONS.constructs,
      jsiiVersion: VERSIONS.jsii,
      publishToPypi: options.python,
      publishToMaven: {
        javaPackage: options.java.package,
        mavenGroupId: options.java.groupId,
        mavenArtifactId: options.java.artifactId,
      },
      publishToGo: { moduleName: options.go.moduleName, packageName: options.go.packageName },
      docgen: true,
      compat: false,
      excludeTypescript: ['test/**'],
    });
    this.dir = options.dir;
    // projen adds these unversioned and resolves them after a package-level install,
    // which workspace packages never run: pin them.
    this.addDevDeps(`jsii-pacmak@${VERSIONS.jsiiPacmak}`, `jsii-diff@${VERSIONS.jsiiPacmak}`);
    // The tests synthesize with exactly the lowest versions the peer ranges allow.
    this.addDevDeps(`aws-cdk-lib@${options.cdkVersion}`, `constructs@${VERSIONS.constructs}`);
    joinWorkspace(this, options);
    // jsii-docgen only looks for dependency assemblies below the package, not in the
    // workspace's hoisted node_modules.
    this.tasks.tryFind('docgen')!.reset('node ../../tools/docgen.mjs');
    // jsii prints a banner about Node 20's end of life on every run; CI runs Node 22+.
    this.tasks.addEnvironment('JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION', '1');
    // `npx projen package` writes every language target, in CI too (projen's default
    // packages only js under CI and leaves the rest to separate jobs).
    this.packageTask.reset();
    this.packageTask.spawn(this.tasks.tryFind('package-all')!);
    // The jar's Maven build resolves aws-cdk-lib and its plugins through a repository kept
    // between runs (the consumer test shares it), not jsii-pacmak's throwaway one; the seed
    // lists an aws-cdk-lib jar of the floor's range there (tools/maven-seed.mjs).
    const java = this.tasks.tryFind('package:java')!;
    java.reset('node ../../tools/maven-seed.mjs ../../.cache/m2');
    java.exec('jsii-pacmak -v --target java --maven-local-repository ../../.cache/m2');
  }
}

/** jsii-specific settings of a {@link JsiiWorkspacePackage}. */
export interface JsiiOptions {
  /** Lowest aws-cdk-lib the library supports; a test synthesizes with exactly this version. */
  readonly cdkVersion: string;
  /** The Python distribution. */
  readonly python: { readonly distName: string; readonly module: string };
  /** The Maven artifact and its Java package. */
  readonly java: { readonly groupId: string; readonly artifactId: string; readonly package: string };
  /** The Go module (a repository of its own) and the package in it. */
  readonly go: { readonly moduleName: string; readonly packageName: string };
}

/** The version in the package's package.json (releases bump it there), else the initial one. */
function releasedVersion(options: WorkspacePackageOptions): string {
  const manifest = join('packages', options.dir, 'package.json');
  if (existsSync(manifest)) {
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string };
    if (version) return version;
  }
  return options.version;
}

function projenTarget(tasks: string[], outputs: string[]) {
  return {
    executor: 'nx:run-commands',
    options: {
      cwd: '{projectRoot}',
      commands: tasks.map((t) => `npx projen ${t}`),
      parallel: false,
    },
    outputs,
  };
}

/**
 * Installs the whole workspace once, from the root, when any workspace manifest changed
 * during synthesis (the packages themselves never install; see WorkspacePackage).
 */
export class WorkspaceInstall extends Component {
  constructor(private readonly root: javascript.NodeProject) {
    super(root);
  }

  public postSynthesize(): void {
    const changed = this.root.subprojects.some(
      (p) => p instanceof javascript.NodeProject && p.package.file.changed,
    );
    if (changed && !this.root.package.file.changed) {
      this.root.tasks.runTask(process.env.CI ? 'install:ci' : 'install');
    }
  }
}
