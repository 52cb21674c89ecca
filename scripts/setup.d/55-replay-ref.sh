# Step: the prioritized-replay benchmark reference (PyPI cpprb 11.0.0, C++ sum/min trees) in .venv.
# Only behind --bench: bench/replay.ts compares against it; no test depends on it.
CPPRB_VERSION=11.0.0
REPLAY_NUMPY_VERSION=2.3.5
if [ "${WANT_BENCH:-0}" = 1 ]; then
  [ -x "$VPY" ] || die replay-ref ".venv is missing" "run the whole setup once: bash scripts/setup.sh --bench"
  pip_install replay-ref "numpy==$REPLAY_NUMPY_VERSION" "cpprb==$CPPRB_VERSION"
  "$VPY" -c 'from cpprb import PrioritizedReplayBuffer' 2>/dev/null \
    || die replay-ref "cpprb $CPPRB_VERSION is installed but does not import" "rm -rf .venv && bash scripts/setup.sh --bench"
  ok replay-ref "cpprb $CPPRB_VERSION, numpy $REPLAY_NUMPY_VERSION in .venv (benchmark reference)"
fi
