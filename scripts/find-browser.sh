#!/usr/bin/env bash
# Print the path of a Chromium the browser tests can drive, installing Debian's package when it is missing and we
# are root. Playwright must never download its own browser here (that fails on machines without internet).
set -euo pipefail
for candidate in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
  [ -n "$candidate" ] || continue
  if path=$(command -v "$candidate" 2>/dev/null); then echo "$path"; exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "chromium not found: installing Debian's chromium package (apt-get)…" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
  command -v chromium && exit 0
fi
cat >&2 <<'MSG'
No Chromium found for the browser tests.
  - Debian/Ubuntu: sudo apt-get install chromium   (then run make test again)
  - elsewhere: install Chromium or Chrome and set CHROMIUM=/path/to/chromium
Do not run `playwright install` on machines without internet access.
MSG
exit 1
