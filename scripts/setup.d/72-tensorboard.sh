# Step (--tensorboard only): TensorBoard in .venv, to watch the event files every run writes to RUN/tensorboard
# (`.venv/bin/tensorboard --logdir data/runs`). Nothing else depends on it.
TENSORBOARD_VERSION=2.21.0
if [ "${WANT_TENSORBOARD:-0}" = 1 ]; then
  [ -x "$VPY" ] || die tensorboard ".venv is missing" "run the whole setup once: bash scripts/setup.sh --tensorboard"
  pip_install tensorboard "tensorboard==$TENSORBOARD_VERSION"
  "$VENV/bin/tensorboard" --version >/dev/null 2>&1 \
    || die tensorboard "tensorboard $TENSORBOARD_VERSION is installed but does not run" "rm -rf .venv && bash scripts/setup.sh --tensorboard"
  ok tensorboard "TensorBoard $TENSORBOARD_VERSION in .venv: .venv/bin/tensorboard --logdir data/runs"
fi
