#!/usr/bin/env bash
# The system packages the suite uses, installed from Debian where missing: unzip and python3 read
# the ZIP exports as independent readers (python3 also plays a terminal), Chromium runs the web
# client's tests. A machine that has them all is left untouched.
set -euo pipefail
missing=()
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (apt-get)"
  sudo_if_needed=()
  [ "$(id -u)" -eq 0 ] || sudo_if_needed=(sudo)
  "${sudo_if_needed[@]}" apt-get update -qq
  "${sudo_if_needed[@]}" apt-get install -y -qq "${missing[@]}"
fi
