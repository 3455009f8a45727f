#!/usr/bin/env bash
# Installs the Debian packages the tests need: Chromium for the Playwright browser tests
# (Playwright cannot download its own browsers here, so we launch /usr/bin/chromium), and
# nginx, which tests/test_nginx.py runs with deploy/nginx/webinar.conf in front of two
# stand-in pools. Nothing is started: the tests run their own nginx.
set -euo pipefail
# /usr/sbin is not on a normal user's PATH on Debian.
have_nginx() { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; }
if command -v chromium >/dev/null 2>&1 && have_nginx; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
# Debian starts the service a package installs (nginx on port 80); a policy-rc.d that
# refuses, as Debian's container images have, stops that while we install.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  trap '$SUDO rm -f "$policy"' EXIT
fi
echo "Installing Chromium and nginx from Debian's packages..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  chromium nginx-light >/dev/null
