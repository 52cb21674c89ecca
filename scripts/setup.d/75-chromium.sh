# Step: Debian's chromium (with its fonts-liberation dependency), which playwright-core drives headless to export
# figures as PNG/SVG and to give notebooks a static picture beside each interactive plot (no browser download).
CHROMIUM="${DISTILL_LAB_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  [ "$(id -u)" = 0 ] || die chromium "$CHROMIUM is missing and installing it needs root" \
    "sudo apt-get update && sudo apt-get install -y chromium (or set DISTILL_LAB_CHROMIUM=/path/to/chromium)"
  info "chromium: apt-get install -y chromium"
  run_logged chromium "check the Debian mirror is reachable, then re-run: bash scripts/setup.sh --only chromium" \
    bash -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-liberation'
fi
ok chromium "$("$CHROMIUM" --version 2>/dev/null | head -1)"
