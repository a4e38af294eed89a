#!/usr/bin/env bash
# deploy.sh deploy|diff <stage>: the account stack and the stage's data and service stacks.
# CDK_ASSEMBLY: a synthesized cloud assembly to use as it is (the pipeline deploys the one it
# tested, and promotes the same one to production); without it, build and synthesize first.
# CDK_OUTPUTS_FILE: where `deploy` writes the stack outputs (default cdk-outputs.json).
# Nothing prompts: a deploy never waits for an approval on the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
action="${1:?usage: deploy.sh deploy|diff <stage>}"
stage="${2:?usage: deploy.sh deploy|diff <stage>}"
case "$stage" in dev | staging | prod) ;; *) echo "deploy.sh: unknown stage '$stage'" >&2; exit 2 ;; esac
stacks=(SecurityAssistant-account "SecurityAssistant-$stage-data" "SecurityAssistant-$stage-service")
# relative paths are relative to the repository root
outputs="${CDK_OUTPUTS_FILE:-cdk-outputs.json}"
case "$outputs" in /*) ;; *) outputs="$(pwd)/$outputs" ;; esac

app_args=()
if [ -n "${CDK_ASSEMBLY:-}" ]; then
  assembly="$(cd "$CDK_ASSEMBLY" && pwd)"
  [ -f "$assembly/manifest.json" ] || { echo "deploy.sh: $CDK_ASSEMBLY is not a cloud assembly" >&2; exit 2; }
  app_args=(--app "$assembly")
else
  npx projen build:all
fi

cd packages/app
case "$action" in
  deploy)
    cdk deploy "${app_args[@]}" "${stacks[@]}" --require-approval never --no-notices \
      --progress events --outputs-file "$outputs"
    ;;
  diff)
    cdk diff "${app_args[@]}" "${stacks[@]}" --no-notices
    ;;
  *) echo "deploy.sh: unknown action '$action'" >&2; exit 2 ;;
esac
