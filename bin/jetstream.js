#!/usr/bin/env node
// The operator CLI. TypeScript sources run through tsx, so a fresh clone needs no build.
require("tsx/cjs");
require("../cli/main.ts")
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
