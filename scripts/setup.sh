#!/usr/bin/env bash
# One idempotent setup for a fresh machine: every step checks whether its result is already in place,
# does only what is missing, and on failure stops with one message naming the step and the fix.
# Usage: bash scripts/setup.sh [--gpu] [--bench] [--torch] [--tensorboard] [--cluster] [--only STEP]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/setup.d/lib.sh

WANT_GPU=0
WANT_BENCH=0
WANT_TORCH=0
WANT_TENSORBOARD=0
WANT_CLUSTER=0
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --gpu) WANT_GPU=1 ;;
    --bench) WANT_BENCH=1 ;;
    --torch) WANT_TORCH=1 ;;
    --tensorboard) WANT_TENSORBOARD=1 ;;
    --cluster) WANT_CLUSTER=1 ;;
    --only) ONLY="$2"; shift ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) die "arguments" "unknown option '$1'" "use --gpu, --bench, --torch, --tensorboard, --cluster or --only STEP" ;;
  esac
  shift
done
export WANT_GPU WANT_BENCH WANT_TORCH WANT_TENSORBOARD WANT_CLUSTER

started=$(date +%s)
for step_file in scripts/setup.d/[0-9][0-9]-*.sh; do
  name="$(basename "$step_file" .sh)"
  name="${name#??-}"
  if [ -n "$ONLY" ] && [ "$ONLY" != "$name" ]; then continue; fi
  source "$step_file"
done
info "setup complete in $(( $(date +%s) - started )) s"
