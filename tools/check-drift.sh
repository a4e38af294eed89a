#!/usr/bin/env bash
# Fails when `npx projen` changes the working tree: generated files must be committed as
# .projenrc.ts renders them. Compares before/after, so local uncommitted work is fine.
set -euo pipefail
cd "$(dirname "$0")/.."
snapshot() { git status --porcelain=v1 --untracked-files=all; git diff; }
before=$(snapshot)
npx projen default >/dev/null
after=$(snapshot)
if [ "$before" != "$after" ]; then
  echo "Generated files drifted from .projenrc.ts; run 'npx projen' and commit the result:" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  exit 1
fi
echo "generated files match .projenrc.ts"
