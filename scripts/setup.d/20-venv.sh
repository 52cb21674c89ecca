# Step: the project's own Python environment (.venv), so nothing depends on a global interpreter.
if [ ! -x "$VPY" ] || ! "$VPY" -c 'import pip' 2>/dev/null; then
  rm -rf "$VENV"
  run_logged venv "install the venv module: apt-get install -y python3-venv" "$PYTHON" -m venv "$VENV"
fi
ok venv "$("$VPY" --version) at .venv"
