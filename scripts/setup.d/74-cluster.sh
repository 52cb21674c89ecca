# Step (--cluster only): Ray in .venv, for `reproduce --cluster` / `teach --cluster` against a Ray cluster and for the
# test that starts a local one (src/experiments/cluster/ray-cluster.test.ts; .ci/run sets this flag). `ray[default]`
# brings the dashboard, whose Jobs REST API distill-lab submits to. distill-lab itself needs no Python to submit; a
# cluster's nodes need this checkout (set up) and Ray of the same version.
RAY_VERSION=2.60.0
if [ "${WANT_CLUSTER:-0}" = 1 ]; then
  [ -x "$VPY" ] || die cluster ".venv is missing" "run the whole setup once: bash scripts/setup.sh --cluster"
  pip_install cluster "ray[default]==$RAY_VERSION"
  "$VENV/bin/ray" --version 2>/dev/null | grep -q "$RAY_VERSION" \
    || die cluster "ray $RAY_VERSION is installed but .venv/bin/ray does not run" "rm -rf .venv && bash scripts/setup.sh --cluster"
  "$VPY" -c 'import ray.dashboard.modules.job.sdk' 2>/dev/null \
    || die cluster "Ray's dashboard (the Jobs API) is missing from .venv" "re-run: bash scripts/setup.sh --cluster --only cluster"
  ok cluster "Ray $RAY_VERSION in .venv: .venv/bin/ray start --head --dashboard-host=127.0.0.1 (Jobs API on port 8265)"
fi
