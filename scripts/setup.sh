#!/usr/bin/env bash
# One-time setup on Debian 12 + Node 20: OpenCV from Debian, node modules (opencv4nodejs built against
# Debian's OpenCV, no auto-build), TypeScript build. Safe to run again: each step is skipped when done.
# The same layer scripts build the Lambda container image (layers/Dockerfile).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

log "system packages (OpenCV, cascades, ffmpeg)"
bash layers/opencv-runtime.sh build

# npm ci takes ~12 minutes because of the native OpenCV binding: skip it when the installed tree matches the lock.
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] \
  && [ -f node_modules/@u4/opencv4nodejs/build/Release/opencv4nodejs.node ]; then
  log "node modules are up to date"
else
  log "node modules (builds @u4/opencv4nodejs against Debian's OpenCV: about 12 minutes)"
  bash layers/node-modules.sh
fi

log "TypeScript build"
npm run --silent build
log "done: try 'npx fer analyze samples/two_people.jpg'"
