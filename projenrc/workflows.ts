import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Component, javascript } from 'projen';
import { GithubWorkflow, workflows } from 'projen/lib/github';

const RUNNER = ['ubuntu-latest'];
const NODE_VERSION = '22';
const PYTHON_VERSION = '3.11';
/** The Java and Go the construct's Java and Go bindings are built and consumed with. */
const JAVA_VERSION = '17';
const GO_VERSION = '1.26';

/**
 * Every action the workflows use, pinned to the full commit SHA of a release tag (read from
 * the action's repository); the tag is written next to it as a comment.
 */
const ACTIONS = {
  checkout: ['actions/checkout', '3d3c42e5aac5ba805825da76410c181273ba90b1', 'v7.0.1'],
  setupNode: ['actions/setup-node', '820762786026740c76f36085b0efc47a31fe5020', 'v7.0.0'],
  setupPython: ['actions/setup-python', '5fda3b95a4ea91299a34e894583c3862153e4b97', 'v7.0.0'],
  awsCredentials: [
    'aws-actions/configure-aws-credentials',
    'e6de054238d6b7531b4efff3b6587d9aade6a06c',
    'v6.2.3',
  ],
  uploadArtifact: ['actions/upload-artifact', 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', 'v7.0.0'],
  downloadArtifact: [
    'actions/download-artifact',
    '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c',
    'v8.0.1',
  ],
  setupJava: ['actions/setup-java', 'b6effb05e454b25005698d916606bdc6ffcbf961', 'v5.7.0'],
  setupGo: ['actions/setup-go', 'b7ad1dad31e06c5925ef5d2fc7ad053ef454303e', 'v7.0.0'],
  cache: ['actions/cache', '27d5ce7f107fe9357f9df03efb73ab90386fccae', 'v5.0.5'],
  pypiPublish: [
    'pypa/gh-action-pypi-publish',
    '81e9d935c883d0b210363ab89cf05f3894778450',
    'v1.8.14',
  ],
} as const;

const uses = (action: keyof typeof ACTIONS) => `${ACTIONS[action][0]}@${ACTIONS[action][1]}`;

const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const RUN_URL = '${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}';

/** Checkout without leaving the token in .git/config, then Node.js and Python. */
function setup(options: { fetchDepth?: number; npmCache?: boolean; registry?: boolean } = {}) {
  const steps: workflows.JobStep[] = [
    {
      name: 'Checkout',
      uses: uses('checkout'),
      with: { 'fetch-depth': options.fetchDepth ?? 1, 'persist-credentials': false },
    },
    {
      name: 'Set up Node.js',
      uses: uses('setupNode'),
      with: {
        'node-version': NODE_VERSION,
        // No dependency cache where artifacts are deployed or published (cache poisoning).
        ...(options.npmCache ? { cache: 'npm' } : { 'package-manager-cache': false }),
        ...(options.registry ? { 'registry-url': 'https://registry.npmjs.org' } : {}),
      },
    },
    {
      name: 'Set up Python',
      uses: uses('setupPython'),
      with: { 'python-version': PYTHON_VERSION },
    },
    {
      name: 'Set up Java (the Java binding and its consumer)',
      uses: uses('setupJava'),
      with: { distribution: 'temurin', 'java-version': JAVA_VERSION },
    },
    {
      name: 'Set up Go (the Go binding and its consumer; actionlint)',
      uses: uses('setupGo'),
      with: { 'go-version': GO_VERSION, cache: false },
    },
    // Maven's repository and Go's module and build caches: the Java and Go consumers'
    // slow part. Only where nothing is deployed or published (cache poisoning).
    ...(options.npmCache
      ? [
          {
            name: 'Maven repository and Go caches',
            uses: uses('cache'),
            with: {
              path: ['.cache/m2', '~/go/pkg/mod', '~/.cache/go-build'].join('\n'),
              key: "jvm-go-${{ runner.os }}-${{ hashFiles('package-lock.json') }}",
              'restore-keys': 'jvm-go-${{ runner.os }}-',
            },
          },
        ]
      : []),
    { name: 'Install', run: 'npm ci' },
  ];
  return steps;
}

/**
 * GitHub Actions, generated. Every check a pull request runs is one projen task that
 * `npx projen test` runs too. Deployments build and test once, synthesize once, deploy that
 * cloud assembly to staging and promote the same assembly to production behind the
 * `production` environment's reviewers. AWS access is OIDC role assumption only. Releases
 * version, tag and publish the four packages to npm and the construct to PyPI, Maven Central
 * and its Go module repository.
 * See docs/decisions/0006.
 */
export function addWorkflows(root: javascript.NodeProject): void {
  const github = root.github!;

  // ---- pull requests -------------------------------------------------------------------
  const pr = new GithubWorkflow(github, 'pull-request', {
    limitConcurrency: true,
    concurrencyOptions: {
      group: 'pull-request-${{ github.event.pull_request.number }}',
      cancelInProgress: true,
    },
  });
  pr.on({ pullRequest: {} });
  pr.addJobs({
    verify: {
      name: 'Checks (affected packages, templates, packaging)',
      runsOn: RUNNER,
      timeoutMinutes: 60,
      permissions: { contents: workflows.JobPermission.READ },
      env: {
        ...NX_ENV,
        // nx affected compares against the merge base of these (tools/affected.sh)
        NX_BASE: '${{ github.event.pull_request.base.sha }}',
        NX_HEAD: '${{ github.event.pull_request.head.sha }}',
      },
      steps: [
        ...setup({ fetchDepth: 0, npmCache: true }),
        { name: 'Python tools (moto, cfn-lint, zizmor)', run: 'npx projen venv' },
        { name: 'Generated files are up to date', run: 'npx projen check-drift' },
        { name: 'Workflows: actionlint and zizmor', run: 'npx projen lint:workflows' },
        { name: 'Workflow scripts', run: 'npx projen test:tools' },
        { name: 'Build, lint and test the affected packages', run: 'npx projen test:affected' },
        {
          name: 'Generated documents are up to date (API.md, openapi.json, the typed client)',
          run: 'npx projen check-api-docs',
        },
        { name: 'The OpenAPI document is valid', run: 'npx projen lint:openapi' },
        {
          name: 'Synthesize every environment (cdk-nag) and cfn-lint the templates',
          run: 'npx projen lint:templates',
        },
        {
          name: 'Rehearse the first staging deployment on the AWS emulator',
          run: 'npx projen rehearse:staging',
        },
        {
          name: 'Package, then use the packages as npm, Python, Java and Go consumers',
          run: 'npx projen test:consumers',
        },
      ],
    },
    upgrade: {
      name: 'Upgrade from the previous release replaces no stateful resource',
      runsOn: RUNNER,
      timeoutMinutes: 30,
      permissions: { contents: workflows.JobPermission.READ },
      env: NX_ENV,
      steps: [
        // the release tags come with the whole history
        ...setup({ fetchDepth: 0, npmCache: true }),
        {
          name: 'cdk diff of the previous release against this change, offline (tools/upgrade-check.sh)',
          run: 'bash tools/upgrade-check.sh',
        },
      ],
    },
    diff: {
      name: 'cdk diff of staging and prod',
      runsOn: RUNNER,
      timeoutMinutes: 30,
      permissions: {
        contents: workflows.JobPermission.READ,
        idToken: workflows.JobPermission.WRITE,
      },
      env: NX_ENV,
      steps: [
        ...setup({ npmCache: true }),
        {
          name: 'Assume the read-only diff role (OIDC)',
          if: "github.event.pull_request.head.repo.full_name == github.repository && vars.AWS_DIFF_ROLE_ARN != ''",
          uses: uses('awsCredentials'),
          with: {
            'role-to-assume': '${{ vars.AWS_DIFF_ROLE_ARN }}',
            'aws-region': '${{ vars.AWS_REGION }}',
          },
        },
        {
          name: 'cdk diff to the job summary (skipped with a note without a role, or from a fork)',
          run: 'bash tools/pr-diff.sh',
          env: {
            DIFF_ROLE: '${{ vars.AWS_DIFF_ROLE_ARN }}',
            HEAD_REPO: '${{ github.event.pull_request.head.repo.full_name }}',
            BASE_REPO: '${{ github.repository }}',
          },
        },
      ],
    },
  });

  // ---- deployments ---------------------------------------------------------------------
  const deploy = new GithubWorkflow(github, 'deploy');
  deploy.on({ push: { branches: ['main', 'develop'] }, workflowDispatch: {} });
  const deployJob = (stage: 'staging' | 'prod', environment: string): workflows.Job => ({
    name: `Deploy ${stage}`,
    runsOn: RUNNER,
    timeoutMinutes: 45,
    environment,
    // One deployment per environment at a time; a running one is never cancelled.
    concurrency: { group: `deploy-${environment}`, 'cancel-in-progress': false } as any,
    permissions: { contents: workflows.JobPermission.READ, idToken: workflows.JobPermission.WRITE },
    // relative to the checkout (tools/deploy.sh resolves them there)
    env: { CDK_ASSEMBLY: 'cloud-assembly', CDK_OUTPUTS_FILE: 'cdk-outputs.json' },
    steps: [
      ...setup(),
      {
        name: 'The cloud assembly built and tested by this run',
        uses: uses('downloadArtifact'),
        with: { name: 'cloud-assembly', path: 'cloud-assembly' },
      },
      {
        name: 'Assume the deployment role (OIDC)',
        uses: uses('awsCredentials'),
        with: {
          'role-to-assume': '${{ vars.AWS_DEPLOY_ROLE_ARN }}',
          'aws-region': '${{ vars.AWS_REGION }}',
        },
      },
      {
        // read-only: predicts the first-deploy failures (taken names, quotas, bootstrap) and
        // stops here, before CloudFormation starts, when one would fail
        name: `Preflight ${stage}: what would make the deploy fail`,
        run: `npx projen preflight:${stage}`,
      },
      { name: `Deploy ${stage} (never prompts)`, run: `npx projen deploy:${stage}` },
      {
        name: 'Smoke test: /health and the error shape; outputs to the summary',
        run: `node tools/smoke-test.mjs --outputs "$CDK_OUTPUTS_FILE" --stage ${stage}`,
      },
      {
        name: 'Publish the result to the deployments topic',
        if: 'always()',
        run: 'node tools/notify-deployment.mjs',
        env: {
          DEPLOYMENTS_TOPIC_ARN: '${{ vars.DEPLOYMENTS_TOPIC_ARN }}',
          DEPLOY_ENVIRONMENT: environment,
          DEPLOY_COMMIT: '${{ github.sha }}',
          DEPLOY_OUTCOME: '${{ job.status }}',
          DEPLOY_RUN_URL: RUN_URL,
        },
      },
    ],
  });
  deploy.addJobs({
    build: {
      name: 'Build, test and synthesize once',
      runsOn: RUNNER,
      timeoutMinutes: 60,
      permissions: { contents: workflows.JobPermission.READ },
      env: NX_ENV,
      steps: [
        ...setup(),
        { name: 'Every test and gate', run: 'npx projen test' },
        { name: 'Synthesize the cloud assembly', run: 'npx projen synth' },
        {
          name: 'Keep the cloud assembly for staging and production',
          uses: uses('uploadArtifact'),
          with: { name: 'cloud-assembly', path: 'packages/app/cdk.out', 'retention-days': 30 },
        },
      ],
    },
    staging: {
      ...deployJob('staging', 'staging'),
      needs: ['build'],
      if: "github.ref == 'refs/heads/main' || github.ref == 'refs/heads/develop'",
    },
    production: {
      ...deployJob('prod', 'production'),
      needs: ['staging'],
      // production only from main, and only the assembly staging just ran
      if: "github.ref == 'refs/heads/main'",
    },
  });

  // ---- releases ------------------------------------------------------------------------
  const release = new GithubWorkflow(github, 'release', {
    limitConcurrency: true,
    concurrencyOptions: { group: 'release', cancelInProgress: false },
  });
  release.on({
    workflowDispatch: {
      inputs: {
        bump: {
          description: 'How to bump: from the conventional commits since the last release, or patch/minor/major',
          type: 'choice',
          options: ['conventional', 'patch', 'minor', 'major'],
          default: 'conventional',
          required: true,
        },
        first_release: {
          description: 'The first release (no earlier release tags)',
          type: 'boolean',
          default: 'false',
          required: false,
        },
      },
    },
  });
  release.addJobs({
    release: {
      name: 'Version, tag, publish to npm, PyPI, Maven Central and Go',
      runsOn: RUNNER,
      timeoutMinutes: 60,
      if: "github.ref == 'refs/heads/main'",
      environment: 'release',
      permissions: {
        contents: workflows.JobPermission.WRITE,
        idToken: workflows.JobPermission.WRITE,
      },
      env: NX_ENV,
      steps: [
        ...setup({ fetchDepth: 0, registry: true }),
        { name: 'Every test and gate', run: 'npx projen test' },
        {
          name: 'Version, changelogs, tags and GitHub releases',
          run: [
            'git config user.name "github-actions[bot]"',
            'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
            'git remote set-url origin "https://x-access-token:${GITHUB_TOKEN}@github.com/${GITHUB_REPOSITORY}.git"',
            'npx projen release',
          ].join('\n'),
          env: {
            GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
            RELEASE_SPECIFIER: "${{ inputs.bump != 'conventional' && inputs.bump || '' }}",
            RELEASE_FIRST: '${{ inputs.first_release }}',
          },
        },
        { name: 'Package the released versions', run: 'npx projen package' },
        {
          name: 'Publish to npm with provenance',
          run: 'bash tools/publish-npm.sh dist/js',
          env: { NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' },
        },
        {
          name: 'Publish the construct to PyPI (trusted publishing)',
          uses: uses('pypiPublish'),
          with: { 'packages-dir': 'dist/python', 'skip-existing': true },
        },
        {
          // signed with the release key, through the Central Portal's OSSRH-compatible API
          name: 'Publish the construct to Maven Central',
          run: 'npx publib-maven dist/java',
          env: {
            MAVEN_SERVER_ID: 'central-ossrh',
            MAVEN_USERNAME: '${{ secrets.MAVEN_USERNAME }}',
            MAVEN_PASSWORD: '${{ secrets.MAVEN_PASSWORD }}',
            MAVEN_GPG_PRIVATE_KEY: '${{ secrets.MAVEN_GPG_PRIVATE_KEY }}',
            MAVEN_GPG_PRIVATE_KEY_PASSPHRASE: '${{ secrets.MAVEN_GPG_PRIVATE_KEY_PASSPHRASE }}',
          },
        },
        {
          // commits the module to its own repository and tags <package>/v<version> there
          name: 'Publish the construct to its Go module repository',
          run: 'npx publib-golang dist/go',
          env: {
            GITHUB_TOKEN: '${{ secrets.GO_GITHUB_TOKEN }}',
            GIT_USER_NAME: 'github-actions[bot]',
            GIT_USER_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com',
          },
        },
      ],
    },
  });

  new PinComments(root);
}

/**
 * Writes each pinned action's release tag as a comment after its SHA, once projen has
 * written the workflows (its YAML writer has no comments).
 */
class PinComments extends Component {
  public postSynthesize(): void {
    const dir = join(this.project.outdir, '.github', 'workflows');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
      const path = join(dir, file);
      let text = readFileSync(path, 'utf8');
      for (const [repo, sha, version] of Object.values(ACTIONS)) {
        text = text.split(`uses: ${repo}@${sha}\n`).join(`uses: ${repo}@${sha} # ${version}\n`);
      }
      chmodSync(path, 0o644);
      writeFileSync(path, text);
      chmodSync(path, 0o444);
    }
  }
}
