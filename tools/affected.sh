#!/usr/bin/env bash
# nx affected between the merge base of the base ref and the head: what a pull request
# changed, not what its base branch gained since it forked. NX_BASE is the base ref or SHA
# (the PR workflow passes the base branch's SHA), NX_HEAD the head (default HEAD).
set -euo pipefail
cd "$(dirname "$0")/.."
base_ref="${NX_BASE:-origin/main}"
head_ref="${NX_HEAD:-HEAD}"
if ! base=$(git merge-base "$base_ref" "$head_ref"); then
  echo "affected: no merge base between '$base_ref' and '$head_ref' (fetch the base branch with full history)" >&2
  exit 1
fi
echo "affected: base $base (merge base of $base_ref and $head_ref), head $head_ref"
npx nx show projects --affected --base="$base" --head="$head_ref" | sed 's/^/affected: /'
npx nx affected -t build lint test --base="$base" --head="$head_ref" --outputStyle=static
