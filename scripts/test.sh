#!/usr/bin/env bash
# The whole test suite: builds, makes sure the browser the page test drives is installed, runs vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash layers/browser.sh
# The SDK's notice that its 2027 releases need Node 22 would repeat in every test process (see README).
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
npm run --silent build
# Tests run from TypeScript source without type checks; check them here so a wrong type fails loudly.
npx tsc -p tsconfig.test.json
exec npx vitest run "$@"
