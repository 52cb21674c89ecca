#!/usr/bin/env node
// Runs the TypeScript sources through tsx's require hook, so the command works straight after setup
// without a build step (the notebooks use the built dist/ instead).
require('tsx/cjs/api').register();
// Before anything loads TensorFlow: its thread pools are sized once, from the environment.
const pools = require('../src/nn/thread-pools');
pools.applyThreadPools(pools.commandThreadPools(process.argv));
require('../src/cli')
  .main(process.argv)
  .catch((error) => {
    process.stderr.write(`distill-lab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
