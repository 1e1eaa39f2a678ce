/**
 * One temporary directory per test run, removed when the run ends. The tests make a fresh
 * project, repository, socket or nginx root for each case under `os.tmpdir()`, and many cannot
 * clean up after a failure or a killed process; without this, each run left about a thousand
 * directories in the machine's /tmp. Jest starts its workers after the global setup, so they
 * and every process the tests start inherit TMPDIR (which `os.tmpdir()` reads on each call).
 */
const { chmodSync, mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

const RUN_DIR = "LAPPSGRID_TEST_RUN_TMPDIR";
const OUTER_TMPDIR = "LAPPSGRID_TEST_OUTER_TMPDIR";

/** jest `globalSetup`: point TMPDIR at a new directory for this run. */
async function createRunTempDir() {
  const dir = mkdtempSync(join(tmpdir(), "lappsgrid-jetstream-test-run-"));
  // nginx's workers and sshd's users run as other users than the tests: they must get through
  // to the directories the tests open to them (listing this one stays the owner's).
  chmodSync(dir, 0o711);
  process.env[OUTER_TMPDIR] = process.env.TMPDIR ?? "";
  process.env[RUN_DIR] = dir;
  process.env.TMPDIR = dir;
}

/**
 * jest `globalTeardown`: remove it, with whatever the tests left in it, and give TMPDIR back
 * (a mutation run calls jest many times in one process).
 */
async function removeRunTempDir() {
  const dir = process.env[RUN_DIR];
  if (dir === undefined) return;
  rmSync(dir, { recursive: true, force: true });
  const outer = process.env[OUTER_TMPDIR];
  if (outer === "" || outer === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = outer;
  delete process.env[RUN_DIR];
  delete process.env[OUTER_TMPDIR];
}

module.exports = { createRunTempDir, removeRunTempDir };
