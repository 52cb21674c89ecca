# Step: the MinAtar reference (PyPI minatar 1.0.15, GPL-3.0) in .venv, with numpy, and scipy for the
# two-sample tests. The conformance tests in src/env/minatar/ drive it, so it is installed by every setup.
# --no-deps for minatar: its metadata pulls matplotlib, seaborn and pandas, used only by its display code.
MINATAR_VERSION=1.0.15
pip_install minatar-ref 'numpy==2.3.5' 'scipy==1.16.3'
if ! "$VPY" -c "import importlib.metadata as m, sys; sys.exit(m.version('minatar') != '$MINATAR_VERSION')" 2>/dev/null; then
  info "minatar-ref: pip install --no-deps minatar==$MINATAR_VERSION"
  run_logged minatar-ref "check PyPI is reachable (pip download minatar==$MINATAR_VERSION), then re-run: bash scripts/setup.sh --only minatar-ref" \
    flock "$CACHE/pip.lock" "$VPY" -m pip install --disable-pip-version-check --no-deps "minatar==$MINATAR_VERSION"
fi
ok minatar-ref "minatar $MINATAR_VERSION with numpy and scipy in .venv"
