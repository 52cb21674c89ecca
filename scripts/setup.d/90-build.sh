# Step: compile the library to dist/ (what notebooks import), skipped when nothing in src/ changed.
src_sha="$( (find src -name '*.ts' ! -name '*.test.ts' -print0 | sort -z | xargs -0 cat; cat tsconfig.json tsconfig.build.json) | sha256sum | cut -c1-16)"
if [ "$(cat "$STAMPS/build" 2>/dev/null)" != "$src_sha" ] || [ ! -f dist/index.js ]; then
  rm -rf dist
  run_logged build "fix the TypeScript errors shown above (node node_modules/typescript/bin/tsc -p tsconfig.build.json)" node node_modules/typescript/bin/tsc -p tsconfig.build.json
  echo "$src_sha" > "$STAMPS/build"
fi
# Notebooks import the library by name (`distill-lab/tables` is dist/tables), so that executed copies in
# build/notebooks/ run again where they lie; tslab resolves modules the Node10 way, through node_modules only.
[ "$(readlink node_modules/distill-lab 2>/dev/null)" = ../dist ] || ln -sfn ../dist node_modules/distill-lab
ok build "dist/ up to date, node_modules/distill-lab → dist/"
