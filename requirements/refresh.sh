#!/usr/bin/env bash
# Regenerate the hash-pinned lock files from pyproject.toml's ranges (run after adding or bumping a dependency):
#     bash requirements/refresh.sh            # keep the current pins that still satisfy pyproject.toml
#     bash requirements/refresh.sh --upgrade  # move every pin to the newest release pyproject.toml allows
# The locks are for CPython 3.11 on Linux x86_64 (what the README and .ci/run install) and are resolved
# against PyPI only, ignoring this machine's pip configuration (local wheel folders, constraints), so the
# hashes are PyPI's files' and the install works on a clean machine. Needs `uv` (pip install uv); if it is
# not on PATH, a throwaway copy is installed in a temporary virtual environment.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=$(command -v uv || true)
if [ -z "$UV" ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  python3 -m venv "$tmp/venv" && PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= "$tmp/venv/bin/pip" install -q uv
  UV="$tmp/venv/bin/uv"
fi
# PyPI only: no uv.toml / pip.conf, no find-links, no extra indexes.
unset UV_EXTRA_INDEX_URL UV_FIND_LINKS UV_INDEX PIP_FIND_LINKS PIP_EXTRA_INDEX_URL PIP_INDEX_URL
export UV_NO_CONFIG=1 UV_DEFAULT_INDEX=https://pypi.org/simple PIP_CONFIG_FILE=/dev/null
for lock in lock test-lock; do
  extra=(); [ "$lock" = test-lock ] && extra=(--extra test)
  "$UV" pip compile pyproject.toml "${extra[@]}" --generate-hashes \
    --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
    --custom-compile-command "bash requirements/refresh.sh" --quiet \
    -o "requirements/$lock.txt" "$@"
  echo "wrote requirements/$lock.txt ($(grep -c '^[A-Za-z0-9].*==' "requirements/$lock.txt") pinned packages)"
done
