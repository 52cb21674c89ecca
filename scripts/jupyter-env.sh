#!/usr/bin/env bash
# Runs a command with the project's Jupyter: .venv's Jupyter, the tslab kernelspec committed in jupyter/
# (found through JUPYTER_PATH), node_modules/.bin on PATH for the `tslab` command, and Jupyter's data, runtime
# and config folders under build/jupyter (nothing is written to ~/.local or ~/.jupyter). `npm run lab` and
# `npm run notebooks` go through it so both sign and trust notebooks with the same key. It also makes sure that
# node_modules/distill-lab links to dist/ (setup's build step makes it; `npm install` may prune it): notebooks
# import the library as `distill-lab/...`, which tslab's Node10 resolution finds from any folder in the repository.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fail() {
  printf '\033[1;31mjupyter:\033[0m %s\n\033[1;31mfix:\033[0m %s\n' "$1" "$2" >&2
  exit 2
}
[ -x "$ROOT/.venv/bin/jupyter" ] || fail ".venv/bin/jupyter is missing" "bash scripts/setup.sh (step jupyter installs JupyterLab and nbclient)"
[ -f "$ROOT/jupyter/kernels/tslab/kernel.json" ] \
  || fail "the tslab kernelspec jupyter/kernels/tslab/kernel.json is missing" "restore it from the repository (git checkout -- jupyter/)"
[ -x "$ROOT/node_modules/.bin/tslab" ] || fail "the tslab kernel (node_modules/.bin/tslab) is missing" "bash scripts/setup.sh (step npm installs it)"
[ "$(readlink "$ROOT/node_modules/distill-lab" 2>/dev/null)" = ../dist ] || ln -sfn ../dist "$ROOT/node_modules/distill-lab"
export JUPYTER_PATH="$ROOT/jupyter"
export JUPYTER_DATA_DIR="$ROOT/build/jupyter/data"
export JUPYTER_RUNTIME_DIR="$ROOT/build/jupyter/runtime"
export JUPYTER_CONFIG_DIR="$ROOT/build/jupyter/config"
export PATH="$ROOT/node_modules/.bin:$ROOT/.venv/bin:$PATH"
mkdir -p "$JUPYTER_DATA_DIR" "$JUPYTER_RUNTIME_DIR" "$JUPYTER_CONFIG_DIR"
cd "$ROOT"
exec "$@"
