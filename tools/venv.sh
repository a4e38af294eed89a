#!/usr/bin/env bash
# Creates .venv with the pinned Python test tools; a no-op when requirements-dev.txt is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.requirements-dev.txt
if [ -x .venv/bin/moto_server ] && cmp -s requirements-dev.txt "$stamp"; then
  exit 0
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
cp requirements-dev.txt "$stamp"
