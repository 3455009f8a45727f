#!/usr/bin/env bash
# Installs the Debian packages the tests need: Chromium for the Playwright browser tests
# (Playwright cannot download its own browsers here, so we launch /usr/bin/chromium), and
# nginx, which tests/test_nginx.py runs with deploy/nginx/webinar.conf in front of two
# stand-in pools.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v nginx >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Installing Chromium and nginx from Debian's packages..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  chromium nginx-light >/dev/null
