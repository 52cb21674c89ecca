#!/usr/bin/env bash
# Committed notebooks carry no outputs and no execution counts (executed copies live in build/notebooks/):
# outputs would bloat the history, hide real changes in diffs and go stale as the code changes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
shopt -s nullglob
notebooks=(notebooks/*.ipynb)
[ ${#notebooks[@]} -gt 0 ] || { echo "no notebooks to check"; exit 0; }
node - "${notebooks[@]}" <<'JS'
const { readFileSync } = require('node:fs');
let dirty = 0;
for (const file of process.argv.slice(2)) {
  let nb;
  try {
    nb = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`${file}: not valid JSON (${error.message}); re-save it in JupyterLab`);
    dirty++;
    continue;
  }
  const bad = (nb.cells ?? []).flatMap((cell, i) =>
    cell.cell_type !== 'code'
      ? []
      : [
          ...(cell.outputs?.length ? [`cell ${i} has ${cell.outputs.length} output(s)`] : []),
          ...(cell.execution_count != null ? [`cell ${i} has execution count ${cell.execution_count}`] : []),
        ],
  );
  if (bad.length > 0) {
    console.error(`${file}: ${bad.join('; ')}`);
    dirty++;
  }
}
if (dirty > 0) {
  console.error('fix: clear them (JupyterLab: Edit → Clear Outputs of All Cells, then save), or run');
  console.error('     bash scripts/jupyter-env.sh jupyter nbconvert --clear-output --inplace notebooks/*.ipynb');
  process.exit(1);
}
console.log(`${process.argv.length - 2} notebook(s) clean`);
JS
