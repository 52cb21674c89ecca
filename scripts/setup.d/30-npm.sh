# Step: npm packages. --ignore-scripts keeps tfjs-node's install script from downloading libtensorflow
# from a host these machines cannot reach (npm 10 would run it; npm 11 skips it silently); step 40 builds it.
lock_sha="$(sha_of package-lock.json)"
if [ "$(cat node_modules/.distill-lab-lock 2>/dev/null)" != "$lock_sha" ]; then
  info "npm: installing packages from package-lock.json"
  run_logged npm "check the npm registry is reachable, then re-run: bash scripts/setup.sh" \
    npm ci --ignore-scripts --no-audit --no-fund
  echo "$lock_sha" > node_modules/.distill-lab-lock
fi
ok npm "$(node -p 'Object.keys(require("./package.json").dependencies).length') dependencies in place"
