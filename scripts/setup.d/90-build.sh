# Step: compile the library to dist/ (what notebooks import), skipped when nothing in src/ changed.
src_sha="$( (find src -name '*.ts' ! -name '*.test.ts' -print0 | sort -z | xargs -0 cat; cat tsconfig.json tsconfig.build.json) | sha256sum | cut -c1-16)"
if [ "$(cat "$STAMPS/build" 2>/dev/null)" != "$src_sha" ] || [ ! -f dist/index.js ]; then
  rm -rf dist
  run_logged build "fix the TypeScript errors shown above (node node_modules/typescript/bin/tsc -p tsconfig.build.json)" node node_modules/typescript/bin/tsc -p tsconfig.build.json
  echo "$src_sha" > "$STAMPS/build"
fi
ok build "dist/ up to date"
