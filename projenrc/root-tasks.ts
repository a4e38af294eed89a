import { javascript } from 'projen';

/** The environments the app deploys; each has a data and a service stack. */
export const STAGES = ['dev', 'staging', 'prod'] as const;

const ACTIONLINT_VERSION = 'v1.7.12';

const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

/** Documents the build generates and the repository keeps (and so checks for drift). */
const GENERATED_DOCS = [
  'packages/constructs/API.md',
  'packages/constructs/openapi.json',
  'packages/app/src/client/schema.ts',
];

/**
 * Root tasks: every check the pull request workflow runs (each one task, so the workflow and
 * `npx projen test` cannot disagree), offline synth, packaging and releases, and the
 * deploy/diff commands (which need AWS credentials and so only run elsewhere).
 */
export function addRootTasks(root: javascript.NodeProject, app: javascript.NodeProject): void {
  const appDir = app.outdir.slice(root.outdir.length + 1);

  const venv = root.addTask('venv', {
    description: 'Create .venv with the pinned Python tools (moto server, cfn-lint, zizmor)',
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
    description:
      'Check the generated GitHub workflows: actionlint (pinned, from the Go module proxy) and zizmor (offline)',
  });
  workflows.exec(
    `go run github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION} -shellcheck= .github/workflows/*.yml`,
  );
  workflows.exec('.venv/bin/zizmor --offline --min-severity low .github/workflows');

  const affected = root.addTask('test:affected', {
    description:
      'nx affected build, lint and test between the merge base of NX_BASE (default origin/main) and NX_HEAD (default HEAD)',
    env: NX_ENV,
  });
  affected.exec('bash tools/affected.sh');

  const tools = root.addTask('test:tools', {
    description: 'Test the repository scripts the workflows run (deploy, smoke test, notification)',
  });
  tools.exec('node --test tools/test/');

  const synth = root.addTask('synth', {
    description: 'Synthesize dev, staging and prod offline into packages/app/cdk.out',
  });
  synth.spawn(buildAll);
  synth.exec('cdk synth --quiet --no-notices', { cwd: appDir });
  synth.exec('node ../../tools/print-templates.mjs cdk.out', { cwd: appDir });

  const templates = root.addTask('lint:templates', {
    description:
      'Synthesize, then cfn-lint the templates with .cfnlintrc.yaml: any error or unlisted warning fails',
  });
  templates.spawn(synth);
  templates.exec('.venv/bin/cfn-lint');

  const pkg = root.tasks.tryFind('package')!;
  pkg.reset();
  pkg.description =
    'Build, then write every publishable artifact to dist/ (js, python, java, go, sourcemaps)';
  pkg.spawn(buildAll);
  pkg.exec('node tools/package.mjs', { env: { JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1' } });

  const consumers = root.addTask('test:consumers', {
    description:
      'Package, then use the tarballs, the wheel, the jar and the Go module as other teams would (npm, Python, Java and Go consumers; package hygiene)',
  });
  consumers.spawn(pkg);
  consumers.exec('node --test tools/consumers/');

  const apiDocs = root.addTask('check-api-docs', {
    description:
      "Fail when the build changed a checked-in generated document: the construct library's API.md, the API's openapi.json or its typed client's schema",
  });
  apiDocs.exec(`git diff --exit-code -- ${GENERATED_DOCS.join(' ')}`);

  const openapi = root.addTask('lint:openapi', {
    description: "Validate the API's OpenAPI 3.1 document with openapi-spec-validator (from .venv)",
  });
  openapi.exec('.venv/bin/openapi-spec-validator packages/constructs/openapi.json');

  const sample = root.addTask('sample-drawing', {
    description: 'Write a sample drawing (plan.pdf, or the path given) for the README walk-through',
    receiveArgs: true,
  });
  sample.exec('node tools/sample-drawing.mjs', { receiveArgs: true });

  const bench = root.addTask('bench', { description: 'Build, then print the handler benchmarks' });
  bench.spawn(buildAll);
  bench.exec('node bench/handlers.mjs');

  const benchReading = root.addTask('bench:reading', {
    description:
      'Build, then print reading precision/recall per producer and the heavy-drawing speed next to pdftotext',
  });
  benchReading.spawn(buildAll);
  benchReading.exec('node bench/reading.mjs');

  const local = root.addTask('local', {
    description:
      'Run the whole platform on 127.0.0.1 with no AWS account (moto server, API, workers); Ctrl-C stops it',
  });
  local.spawn(venv);
  local.spawn(buildAll);
  local.exec(`node ${appDir}/lib/local/main.js`, {
    receiveArgs: true,
  });

  // Deploys never prompt: the GitHub environment's reviewers are the gate for production.
  // With CDK_ASSEMBLY set they deploy that synthesized cloud assembly as it is (what the
  // pipeline promotes from staging to production); otherwise they build and synthesize first.
  for (const stage of STAGES) {
    const deploy = root.addTask(`deploy:${stage}`, {
      description: `Deploy the account stack and the ${stage} data and service stacks (CDK_ASSEMBLY: a synthesized assembly to deploy as is)`,
    });
    deploy.exec(`bash tools/deploy.sh deploy ${stage}`);

    const diff = root.addTask(`diff:${stage}`, {
      description: `Diff the ${stage} stacks against the deployed ones (CDK_ASSEMBLY as for deploy)`,
    });
    diff.exec(`bash tools/deploy.sh diff ${stage}`);

    const preflight = root.addTask(`preflight:${stage}`, {
      description: `Read-only checks of the target account that predict a failing ${stage} deploy (bootstrap, anomaly monitors, Lambda concurrency, names taken, cost allocation tag, Slack workspace); reads CDK_ASSEMBLY (default packages/app/cdk.out)`,
    });
    preflight.exec(`node tools/deploy-checks/preflight.mjs ${stage}`);

    const rehearse = root.addTask(`rehearse:${stage}`, {
      description: `Rehearse the first ${stage} deployment on the AWS emulator: cdk bootstrap, a failed deploy that rolls back and its retry, what was created against the templates, a redeploy after a handler change (cdk synth options, e.g. -c, are passed on)`,
      receiveArgs: true,
    });
    rehearse.spawn(venv);
    rehearse.spawn(buildAll);
    rehearse.exec(`node tools/deploy-checks/rehearse.mjs ${stage}`, { receiveArgs: true });

    const rollback = root.addTask(`rollback:${stage}`, {
      description: `Stop the ${stage} deployments in flight with rollback, or point each live alias at its previous version (--dry-run: only say what it would do)`,
    });
    rollback.exec(`node tools/rollback.mjs ${stage}`, { receiveArgs: true });
  }

  const test = root.tasks.tryFind('test')!;
  test.reset();
  test.spawn(venv);
  test.spawn(drift);
  test.spawn(workflows);
  test.spawn(tools);
  test.exec('nx run-many -t build lint test --outputStyle=static', { env: NX_ENV });
  test.spawn(apiDocs);
  test.spawn(openapi);
  test.spawn(templates);
  // one stage is enough: the stages differ in values, not in resource types
  test.spawn(root.tasks.tryFind('rehearse:staging')!);
  test.spawn(consumers);

  const releaseDryRun = root.addTask('release:dry-run', {
    description:
      'Show what a release would version, write to the changelogs and publish to npm, PyPI, Maven Central and Go; changes nothing',
    env: NX_ENV,
  });
  releaseDryRun.exec('node tools/release.mjs --dry-run');

  const release = root.addTask('release', {
    description:
      'Version the published packages, write their changelogs, commit, tag, push and create GitHub releases (the release workflow)',
    env: NX_ENV,
  });
  release.exec('node tools/release.mjs');
}
