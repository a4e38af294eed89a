import { javascript } from 'projen';
import { GithubWorkflow, workflows } from 'projen/lib/github';

const RUNNER = ['ubuntu-latest'];

const setupSteps: workflows.JobStep[] = [
  { name: 'Checkout', uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
  { name: 'Set up Node.js', uses: 'actions/setup-node@v4', with: { 'node-version': '20', cache: 'npm' } },
  { name: 'Set up Python', uses: 'actions/setup-python@v5', with: { 'python-version': '3.11' } },
  { name: 'Install', run: 'npm ci' },
];

/**
 * GitHub Actions: pull requests run `nx affected` plus the template gates; merges to
 * `develop` deploy staging and merges to `main` deploy prod (behind the `production`
 * environment's required reviewers). AWS access is OIDC role assumption only: the role
 * ARN and region are repository/environment variables, never stored keys.
 */
export function addWorkflows(root: javascript.NodeProject): void {
  const github = root.github!;

  const pr = new GithubWorkflow(github, 'pull-request');
  pr.on({ pullRequest: {} });
  pr.addJobs({
    verify: {
      name: 'Lint, test, build (affected) and validate templates',
      runsOn: RUNNER,
      permissions: { contents: workflows.JobPermission.READ },
      env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      steps: [
        ...setupSteps,
        { name: 'Python test tools', run: 'npx projen venv' },
        { name: 'Generated files are up to date', run: 'npx projen check-drift' },
        {
          name: 'Affected lint, test and build',
          run: 'npx nx affected -t build lint test --base=origin/${{ github.base_ref }} --outputStyle=static',
        },
        { name: 'Synthesize every environment (cdk-nag runs during synth)', run: 'npx projen synth' },
        { name: 'cfn-lint', run: '.venv/bin/cfn-lint packages/app/cdk.out/*.template.json' },
      ],
    },
  });

  const deployments: Array<{ stage: string; branch: string; environment: string }> = [
    { stage: 'staging', branch: 'develop', environment: 'staging' },
    { stage: 'prod', branch: 'main', environment: 'production' },
  ];
  for (const d of deployments) {
    const wf = new GithubWorkflow(github, `deploy-${d.stage}`, {
      limitConcurrency: true,
      concurrencyOptions: { group: `deploy-${d.stage}`, cancelInProgress: false },
    });
    wf.on({ push: { branches: [d.branch] }, workflowDispatch: {} });
    wf.addJobs({
      deploy: {
        name: `Deploy ${d.stage}`,
        runsOn: RUNNER,
        environment: d.environment,
        permissions: { contents: workflows.JobPermission.READ, idToken: workflows.JobPermission.WRITE },
        steps: [
          ...setupSteps,
          {
            name: 'Assume the deployment role (OIDC)',
            uses: 'aws-actions/configure-aws-credentials@v4',
            with: {
              'role-to-assume': '${{ vars.AWS_DEPLOY_ROLE_ARN }}',
              'aws-region': '${{ vars.AWS_REGION }}',
            },
          },
          { name: `Deploy ${d.stage}`, run: `npx projen deploy:${d.stage}` },
          {
            name: 'Report the result',
            if: 'always()',
            run: `echo "### Deploy ${d.stage}: \${{ job.status }}" >> "$GITHUB_STEP_SUMMARY"`,
          },
        ],
      },
    });
  }
}
