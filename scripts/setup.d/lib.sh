# Helpers shared by the setup steps (sourced, not run).
CACHE="${DISTILL_LAB_CACHE:-$HOME/.cache/distill-lab}"
VENV="$ROOT/.venv"
VPY="$VENV/bin/python"
STAMPS="$ROOT/.setup"
PYTHON="${PYTHON:-$(command -v python3 || true)}"
mkdir -p "$CACHE" "$STAMPS"

info() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
ok() { printf '\033[1;32m[setup] %-14s\033[0m %s\n' "$1" "$2"; }

# die STEP WHAT FIX: the single message a failing step leaves.
die() {
  printf '\n\033[1;31m[setup] step "%s" failed:\033[0m %s\n' "$1" "$2" >&2
  printf '\033[1;31m[setup] fix:\033[0m %s\n' "$3" >&2
  exit 1
}

# run_logged STEP FIX CMD...: runs CMD with its output in a log; on failure shows the log's tail and dies.
run_logged() {
  local step="$1" fix="$2"; shift 2
  local log="$STAMPS/$step.log"
  if ! "$@" >"$log" 2>&1; then
    tail -n 25 "$log" >&2
    die "$step" "'$*' exited non-zero (full log: $log)" "$fix"
  fi
}

# pip_install STEP REQUIREMENT...: installs into the project venv unless already satisfied.
pip_install() {
  local step="$1"; shift
  if "$VPY" - "$@" <<'PY' 2>/dev/null; then return 0; fi
import sys
from importlib.metadata import version, PackageNotFoundError
for req in (a for a in sys.argv[1:] if not a.startswith("-") and "/" not in a):
    name, _, want = req.partition("==")
    name = name.split("[")[0]  # 'tensorflow[and-cuda]' is installed as 'tensorflow'
    try:
        if want and version(name) != want: sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PY
  info "$step: pip install $*"
  run_logged "$step" "check PyPI is reachable (pip download $1), then re-run: bash scripts/setup.sh" \
    flock "$CACHE/pip.lock" "$VPY" -m pip install --disable-pip-version-check "$@"
}

# Pinned versions used by several steps.
TF_VERSION=2.21.0
TFJS_VERSION=4.22.0

sha_of() { sha256sum "$1" | cut -c1-16; }
