const { tmpdir } = require("node:os");
const { join } = require("node:path");

// The workers (ts-jest loads TypeScript in each) and every process the tests start inherit this:
// V8 keeps their modules' compiled code on disk, so the next run loads them faster.
process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), "lappsgrid-jetstream-compile-cache");

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // A mutation run copies the project into .stryker-tmp: never run that copy's tests twice.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/.stryker-tmp/"],
  // Type-checking is `npm run typecheck`; jest only transpiles, so tests start fast.
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  testTimeout: 60000,
  // Every test's temporary files go under one directory per run, removed at its end.
  globalSetup: "<rootDir>/test/run/global-setup.js",
  globalTeardown: "<rootDir>/test/run/global-teardown.js",
  // Most test files wait on real processes (nginx reloads, sshd, a 62 s read timeout), not on
  // the CPU: two workers per core overlap those waits (on 2 cores: about 2 min instead of 4.5).
  maxWorkers: "200%",
};
