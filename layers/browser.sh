#!/usr/bin/env bash
# Debian's Chromium for the browser test of `fer serve` (playwright-core drives it; it never downloads one).
set -euo pipefail
packages=(chromium)
if dpkg -s "${packages[@]}" >/dev/null 2>&1; then exit 0; fi
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
