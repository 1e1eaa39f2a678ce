#!/usr/bin/env node
// Runs a TypeScript entry point through bin/ts-hook.js: no build step between an edit and a run.
require("./ts-hook");
const path = require("node:path");
const entry = process.argv[2];
if (!entry) {
  console.error("usage: run-ts.js FILE.ts [ARGS...]");
  process.exit(2);
}
process.argv.splice(1, 2, path.resolve(entry));
require(path.resolve(entry));
