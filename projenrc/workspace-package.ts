import { Component, JsonFile, javascript, typescript } from 'projen';

/** Versions every package shares, so one bump moves the whole workspace. */
export const VERSIONS = {
  typescript: '5.9.3',
  awsCdkLib: '2.276.0',
  constructs: '10.8.1',
  awsSdk: '^3.1000.0',
  powertools: '^2.35.0',
  esbuild: '0.28.2',
  jest: '^29',
  nx: '23.2.1', // the newest whose platform binaries are all on the registry (npm ci needs every one in the lockfile)
  cdkNag: '3.0.2',
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
  /** Semver of the package. */
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
  /** Extra .gitignore / .npmignore lines. */
  readonly gitignore?: string[];
}

/**
 * A TypeScript package of the npm workspace. It never installs on its own (the root
 * install covers every workspace) and exposes exactly three targets to nx:
 * `build` (tsc plus any post-compile steps), `test` (jest) and `lint` (eslint + prettier).
 */
export class WorkspacePackage extends typescript.TypeScriptProject {
  public readonly dir: string;

  constructor(parent: javascript.NodeProject, options: WorkspacePackageOptions) {
    super({
      parent,
      outdir: `packages/${options.dir}`,
      name: `@security-assistant/${options.dir}`,
      description: options.description,
      defaultReleaseBranch: 'main',
      packageManager: javascript.NodePackageManager.NPM,
      typescriptVersion: VERSIONS.typescript,
      minNodeVersion: '20.0.0',
      deps: options.deps,
      devDeps: options.devDeps,
      peerDeps: options.peerDeps,
      sampleCode: false,
      github: false,
      release: false,
      buildWorkflow: false,
      depsUpgrade: false,
      pullRequestTemplate: false,
      package: false,
      licensed: true,
      license: 'Apache-2.0',
      copyrightOwner: 'Security Assistant Platform contributors',
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
      tsconfig: {
        compilerOptions: {
          lib: ['es2022'],
          target: 'ES2022',
          skipLibCheck: true,
          esModuleInterop: true,
        },
      },
      gitignore: options.gitignore,
      npmignoreEnabled: options.publishable,
    });
    this.dir = options.dir;
    // projen adds its ESLint plugins unversioned and resolves them from the package's own
    // node_modules, which a hoisted workspace does not have: pin them instead.
    this.addDevDeps(...LINT_DEPS);
    this.package.addVersion(options.version);
    this.package.addField('private', !options.publishable);
    if (options.publishable) {
      this.package.addField('publishConfig', { access: 'public' });
    }

    // Every workspace is installed by the root `npm ci`; a package-level install would
    // create a nested node_modules and a second lockfile. The root reinstalls when any
    // workspace manifest changes (see WorkspaceInstall).
    for (const name of ['install', 'install:ci']) {
      this.tasks.tryFind(name)?.reset('echo "installed by the workspace root"');
    }

    // Bundling and layer assembly run after tsc, inside projen's own build chain too.
    for (const cmd of options.postCompile ?? []) {
      this.postCompileTask.exec(cmd);
    }
    this.testTask.reset('jest --passWithNoTests=false', { receiveArgs: true });
    const lint = this.addTask('lint', { description: 'ESLint and Prettier check' });
    lint.spawn(this.eslint!.eslintTask);
    lint.exec('prettier --check "src/**/*.ts" "test/**/*.ts"');

    // nx sees exactly three targets. projen's `build` chains compile, test and package;
    // nx caches each step on its own, so its `build` is compile + post-compile only.
    if (options.srcMayUseDevDependencies) {
      this.eslint!.addRules({
        'import/no-extraneous-dependencies': ['error', { devDependencies: true }],
      });
    }
    // Build outputs are what consumers of a published package use (the construct reads
    // the bundles and the layer folder from node_modules).
    for (const output of options.extraOutputs ?? []) {
      this.npmignore?.include(`/${output}/`);
    }

    this.package.addField('nx', { includedScripts: [] });
    new JsonFile(this, 'project.json', {
      obj: {
        name: this.package.packageName,
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
