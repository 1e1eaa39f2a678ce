#!/usr/bin/env node
// The operator CLI. TypeScript sources run through bin/ts-hook.js, so a fresh clone needs no build.
require("./ts-hook");
require("../cli/main.ts")
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
