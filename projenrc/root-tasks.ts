import { javascript } from 'projen';

/** The environments the app deploys; each has a stack `SecurityAssistant-<stage>`. */
export const STAGES = ['dev', 'staging', 'prod'] as const;

const ACTIONLINT_VERSION = 'v1.7.12';

const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

/**
 * Root tasks: the whole test suite with its gates, offline synth of every environment,
 * and the deploy/diff commands (which need AWS credentials and so only run elsewhere).
 */
export function addRootTasks(root: javascript.NodeProject, app: javascript.NodeProject): void {
  const appDir = app.outdir.slice(root.outdir.length + 1);

  const venv = root.addTask('venv', {
    description: 'Create .venv with the pinned Python test tools (moto server, cfn-lint)',
  });
  venv.exec('bash tools/venv.sh');

  const buildAll = root.addTask('build:all', {
    description: 'Build every package in dependency order (nx, cached)',
    env: NX_ENV,
  });
  buildAll.exec('nx run-many -t build --outputStyle=static');

  const drift = root.addTask('check-drift', {
    description: 'Fail when `npx projen` would change a tracked file',
  });
  drift.exec('bash tools/check-drift.sh');

  const workflows = root.addTask('lint:workflows', {
    description: 'Check the generated GitHub workflows with actionlint (pinned, from the Go module proxy)',
  });
  workflows.exec(`go run github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION} -shellcheck= .github/workflows/*.yml`);

  const pkg = root.tasks.tryFind('package')!;
  pkg.reset();
  pkg.description = 'Build, then write every publishable artifact to dist/ (js, python, sourcemaps)';
  pkg.spawn(buildAll);
  pkg.exec('node tools/package.mjs', { env: { JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' } });

  const consumers = root.addTask('test:consumers', {
    description:
      'Package, then use the tarballs and the wheel as other teams would (npm and Python consumers, package hygiene)',
  });
  consumers.spawn(pkg);
  consumers.exec('node --test tools/consumers/');

  const apiDocs = root.addTask('check-api-docs', {
    description: 'Fail when the build changed the checked-in API.md of the construct library',
  });
  apiDocs.exec('git diff --exit-code -- packages/constructs/API.md');

  const test = root.tasks.tryFind('test')!;
  test.reset();
  test.spawn(venv);
  test.spawn(drift);
  test.spawn(workflows);
  test.exec('nx run-many -t build lint test --outputStyle=static', { env: NX_ENV });
  test.spawn(apiDocs);
  test.spawn(consumers);

  const bench = root.addTask('bench', { description: 'Build, then print the handler benchmarks' });
  bench.spawn(buildAll);
  bench.exec('node bench/handlers.mjs');

  const local = root.addTask('local', {
    description:
      'Run the whole platform on 127.0.0.1 with no AWS account (moto server, API, workers); Ctrl-C stops it',
  });
  local.spawn(venv);
  local.spawn(buildAll);
  local.exec(`node ${appDir}/lib/local/main.js`, {
    receiveArgs: true,
  });

  const synth = root.addTask('synth', {
    description: 'Synthesize dev, staging and prod offline into packages/app/cdk.out',
  });
  synth.spawn(buildAll);
  synth.exec('cdk synth --quiet', { cwd: appDir });
  synth.exec('node ../../tools/print-templates.mjs cdk.out', { cwd: appDir });

  for (const stage of STAGES) {
    // The account stack (API Gateway's CloudWatch role) is one per account: deploying it
    // again from another environment of the same account changes nothing.
    const stacks = `SecurityAssistant-account SecurityAssistant-${stage}-data SecurityAssistant-${stage}-service`;
    const approval = stage === 'prod' ? 'broadening' : 'never';
    const deploy = root.addTask(`deploy:${stage}`, {
      description: `Deploy the ${stage} data and service stacks with the current AWS credentials`,
    });
    deploy.spawn(buildAll);
    deploy.exec(`cdk deploy ${stacks} --require-approval ${approval}`, { cwd: appDir });

    const diff = root.addTask(`diff:${stage}`, {
      description: `Diff the ${stage} stacks against the deployed ones`,
    });
    diff.spawn(buildAll);
    diff.exec(`cdk diff ${stacks}`, { cwd: appDir });
  }
}
