#!/usr/bin/env node
// Runs a TypeScript entry point with tsx's require hook: no build step between an edit and a run.
require("tsx/cjs");
const path = require("node:path");
const entry = process.argv[2];
if (!entry) {
  console.error("usage: run-ts.js FILE.ts [ARGS...]");
  process.exit(2);
}
process.argv.splice(1, 2, path.resolve(entry));
require(path.resolve(entry));
