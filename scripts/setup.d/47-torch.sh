# Step (--torch only): PyTorch in .venv, bench/backend's second reference (its PyTorch column).
# PyPI's Linux wheel is the CUDA build and pulls NVIDIA's libraries (5.4 GB in all; measured 2026-12-02): the
# CPU-only wheel lives on download.pytorch.org, which these machines cannot reach. No test depends on it.
TORCH_VERSION=2.15.0
if [ "${WANT_TORCH:-0}" = 1 ]; then
  [ -x "$VPY" ] || die torch ".venv is missing" "run the whole setup once: bash scripts/setup.sh --bench"
  pip_install torch "torch==$TORCH_VERSION"
  "$VPY" -c 'import torch; torch.ones(2) @ torch.ones(2)' 2>/dev/null \
    || die torch "torch $TORCH_VERSION is installed but does not run" "rm -rf .venv && bash scripts/setup.sh --bench --torch"
  ok torch "PyTorch $TORCH_VERSION in .venv (benchmark reference, CPU)"
fi
