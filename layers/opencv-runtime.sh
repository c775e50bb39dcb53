#!/usr/bin/env bash
# Debian 12 (bookworm) packages for OpenCV 4.6, by role. Idempotent: apt runs only when a package is missing.
# Works as root or through sudo.
#
#   opencv-runtime.sh build            compile @u4/opencv4nodejs against Debian's OpenCV: dev machines and CI
#                                      (scripts/setup.sh), and the image's build stage (layers/Dockerfile)
#   opencv-runtime.sh ric              compile aws-lambda-ric's native part (the image's build stage only)
#   opencv-runtime.sh runtime [FILE]   shared libraries only (the image's final stage): the packages listed in
#                                      FILE (one a line, as `needs` prints them), else a minimal default list
#   opencv-runtime.sh needs BINARY     print the Debian packages owning the libopencv_* libraries BINARY links to
#
# Modes combine: `opencv-runtime.sh build ric`.
set -euo pipefail

# ffmpeg: the command-line tool for working with sample videos; OpenCV's videoio brings FFmpeg's libraries itself.
BUILD_PACKAGES=(libopencv-dev build-essential python3 opencv-data ffmpeg)
RIC_PACKAGES=(build-essential cmake autoconf automake libtool unzip libcurl4-openssl-dev python3)
# The modules the engine uses. The compiled binding usually links to more (every module Debian ships, found at
# build time), so the image passes the list `needs` prints instead.
RUNTIME_DEFAULT_PACKAGES=(libopencv-core406 libopencv-imgproc406 libopencv-imgcodecs406 libopencv-objdetect406 libopencv-videoio406)
# The Haar cascades.
RUNTIME_EXTRA_PACKAGES=(opencv-data)

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

apt_install() {
  local missing=() package
  for package in "$@"; do is_installed "$package" || missing+=("$package"); done
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "[opencv-runtime] installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

needs() {
  local binary=$1
  [ -f "$binary" ] || { echo "[opencv-runtime] no such file: $binary" >&2; exit 1; }
  # ldd may resolve through /lib (merged /usr), which dpkg does not know: look the library up by its file name.
  ldd "$binary" | awk '$1 ~ /^libopencv_/ { print $1 }' | sort -u | while read -r library; do
    dpkg-query -S "$library" | awk -F': ' '{ print $1 }' | cut -d: -f1
  done | sort -u
}

if [ $# -eq 0 ]; then
  echo "usage: $0 build|ric|runtime [FILE]|needs BINARY ..." >&2
  exit 2
fi

while [ $# -gt 0 ]; do
  mode=$1
  shift
  case "$mode" in
    build) apt_install "${BUILD_PACKAGES[@]}" ;;
    ric) apt_install "${RIC_PACKAGES[@]}" ;;
    runtime)
      packages=("${RUNTIME_DEFAULT_PACKAGES[@]}")
      if [ $# -gt 0 ] && [ -f "$1" ]; then
        mapfile -t packages < <(grep -v '^[[:space:]]*$' "$1")
        shift
      fi
      apt_install "${packages[@]}" "${RUNTIME_EXTRA_PACKAGES[@]}"
      ;;
    needs)
      [ $# -gt 0 ] || { echo "[opencv-runtime] needs: which binary?" >&2; exit 2; }
      needs "$1"
      shift
      ;;
    *)
      echo "[opencv-runtime] unknown mode: $mode (build, ric, runtime, needs)" >&2
      exit 2
      ;;
  esac
done
