#!/usr/bin/env bash
# `npm run lab [-- ARGS]`: JupyterLab on notebooks/ with the TypeScript kernel ready (see jupyter-env.sh).
# Jupyter refuses to start as root unless told; containers and CI machines often run as root.
set -euo pipefail
# New notebooks default to the TypeScript kernel.
args=(--LabApp.default_url=/lab/tree/notebooks --MultiKernelManager.default_kernel_name=tslab)
[ "$(id -u)" != 0 ] || args+=(--allow-root)
exec bash "$(dirname "${BASH_SOURCE[0]}")/jupyter-env.sh" jupyter lab "${args[@]}" "$@"
