#!/bin/sh
# Installs axe-core (npm) for the review page's accessibility test (tests/test_review_a11y.py).
# .ci/run should call this before pytest; without node/npm the test skips and says why.
set -eu
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: apt-get install npm (the accessibility test skips without axe-core)" >&2
    exit 1
fi
[ -f package.json ] || printf '{\n  "name": "workbench-test-js",\n  "private": true\n}\n' > package.json
npm install --no-audit --no-fund --silent axe-core@4
ls node_modules/axe-core/axe.min.js
