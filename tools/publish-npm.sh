#!/usr/bin/env bash
# publish-npm.sh <dir>: publishes every tarball in <dir> to npm with provenance, skipping a
# version the registry already has (a release bumps only the packages that changed, while
# `npx projen package` packs all four). Authenticates with NODE_AUTH_TOKEN when set, else
# through npm trusted publishing (the job's OIDC token).
set -euo pipefail
dir="${1:?usage: publish-npm.sh <dir of .tgz>}"
for tarball in "$dir"/*.tgz; do
  manifest=$(tar xzOf "$tarball" package/package.json)
  name=$(node -e 'const m=JSON.parse(process.argv[1]); process.stdout.write(m.name)' "$manifest")
  version=$(node -e 'const m=JSON.parse(process.argv[1]); process.stdout.write(m.version)' "$manifest")
  if npm view "$name@$version" version >/dev/null 2>&1; then
    echo "publish: $name@$version is already on npm, skipped"
    continue
  fi
  npm publish "$tarball" --provenance --access public
  echo "publish: $name@$version published"
done
