#!/usr/bin/env bash
# The whole test suite: builds, makes sure the browser the page test drives is installed, runs vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash layers/browser.sh
npm run --silent build
exec npx vitest run "$@"
