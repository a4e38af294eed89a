#!/usr/bin/env bash
# The pull request's `cdk diff` of staging and prod, written to the job summary. It needs the
# read-only diff role (repository variable AWS_DIFF_ROLE_ARN, assumed through OIDC by the step
# before); a pull request from a fork gets no OIDC token, and without the role there is
# nothing to diff against: then it says so in the summary and succeeds.
set -euo pipefail
cd "$(dirname "$0")/.."
summary="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
if [ -z "${DIFF_ROLE:-}" ]; then
  echo "cdk diff skipped: no AWS_DIFF_ROLE_ARN repository variable is set, so there are no credentials to diff the deployed stacks with." >>"$summary"
  exit 0
fi
if [ "${HEAD_REPO:-}" != "${BASE_REPO:-}" ]; then
  echo "cdk diff skipped: this pull request comes from a fork ($HEAD_REPO), which gets no AWS credentials." >>"$summary"
  exit 0
fi
for stage in staging prod; do
  {
    echo "### cdk diff: $stage"
    echo '```'
    npx projen "diff:$stage" 2>&1 | sed -n '/Stack SecurityAssistant/,$p'
    echo '```'
  } >>"$summary"
done
