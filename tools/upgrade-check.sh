#!/usr/bin/env bash
# The pull request's upgrade check: synthesizes the previous release (the newest
# @security-assistant/constructs tag) and this change, and fails when deploying this change over
# that release would replace, destroy or orphan a stateful resource
# (tools/deploy-checks/upgrade-check.mjs). Before the first release there is nothing to upgrade
# from: it says so in the summary and succeeds.
set -euo pipefail
cd "$(dirname "$0")/.."
summary="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
base="$(git describe --tags --abbrev=0 --match '@security-assistant/constructs@*' 2>/dev/null || true)"
if [ -z "$base" ]; then
  echo "upgrade check skipped: no @security-assistant/constructs release tag yet, so no deployed release to upgrade from." >>"$summary"
  exit 0
fi
previous="$(mktemp -d)/previous"
git worktree add --detach "$previous" "$base" >/dev/null
trap 'git worktree remove --force "$previous"' EXIT
(cd "$previous" && npm ci --no-audit --no-fund && npx projen synth)
npx projen synth
{
  echo "### upgrade check: $base → this change"
  echo '```'
  node tools/deploy-checks/upgrade-check.mjs "$previous/packages/app/cdk.out" packages/app/cdk.out
  echo '```'
} | tee -a "$summary"
