#!/usr/bin/env bash
# `npm ci` with @u4/opencv4nodejs compiled against Debian's OpenCV (layers/opencv-runtime.sh build) instead of
# building OpenCV from source. Extra arguments go to npm ci: scripts/setup.sh passes none; the image's build
# stages pass --ignore-scripts (TypeScript only) or --omit=dev (the runtime's node_modules).
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENCV4NODEJS_DISABLE_AUTOBUILD=1
export OPENCV_INCLUDE_DIR=/usr/include/opencv4
export OPENCV_LIB_DIR=/usr/lib/x86_64-linux-gnu
export OPENCV_BIN_DIR=/usr/bin
exec npm ci --no-audit --no-fund "$@"
