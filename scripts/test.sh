#!/usr/bin/env bash
# The project's test command (README's second command; .ci/run calls it): type check, lint + format
# check, then node's built-in test runner over every *.test.ts, whose summary closes the output.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d node_modules/@tensorflow/tfjs-node ] || { echo "node_modules is missing: run 'bash scripts/setup.sh' first" >&2; exit 1; }
echo "== tsc --noEmit"
node node_modules/typescript/bin/tsc --noEmit -p tsconfig.json
echo "== biome ci (lint + format)"
npx biome ci --reporter=summary .
for check in scripts/checks/*.sh; do
  [ -e "$check" ] || continue
  echo "== $(basename "$check" .sh)"
  bash "$check"
done
echo "== node --test"
export DISTILL_LAB_QUIET=1
mapfile -t files < <(find src test bench -name '*.test.ts' 2>/dev/null | sort)
exec node --import tsx --test --test-concurrency=2 --test-reporter=spec "$@" "${files[@]}"
