/** One command takes a fresh machine to a green test run; `npm ci` says only what matters. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./workflow-files";

const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
const guide = readFileSync(join(ROOT, "README.md"), "utf8");
const quickStart = guide.slice(guide.indexOf("## Quick start"), guide.indexOf("## With credentials"));

test.each([".ci/run", ".ci/install-test-tools"])("%s passes shellcheck", (script) => {
  const check = spawnSync("shellcheck", [join(ROOT, script)], { encoding: "utf8" });
  expect({ script, status: check.status, output: check.stdout }).toEqual({ script, status: 0, output: "" });
});

test("npm run test:ci installs the Debian packages the tests drive, then runs npm test", () => {
  expect(packageJson.scripts["test:ci"]).toBe("bash .ci/install-test-tools && npm test");
  const installer = readFileSync(join(ROOT, ".ci", "install-test-tools"), "utf8");
  for (const tool of ["nginx-light", "openssh-server", "openssh-client", "cloud-init", "shellcheck"]) {
    expect(installer).toContain(` ${tool}`);
  }
});

test(".ci/run is npm ci, then exactly the README's test command", () => {
  const commands = readFileSync(join(ROOT, ".ci", "run"), "utf8")
    .split("\n")
    .filter(
      (line) => line !== "" && !line.startsWith("#") && !line.startsWith("set ") && !line.startsWith("cd "),
    );
  expect(commands).toEqual(["npm ci --no-audit --no-fund", "npm run test:ci"]);
});

test("the Quick start shows npm ci, the plan and the test command", () => {
  expect(quickStart).toContain("npm ci\nnpm run plan -- --stack iu\nnpm run test:ci\n");
});

test("every installed package with an install script is declared needed (true) or not (false)", () => {
  const withScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
    .filter(([path, entry]) => path !== "" && entry.hasInstallScript)
    .map(([path]) => path.replace(/^.*node_modules\//, ""))
    .sort();
  expect(withScripts).toEqual(["@parcel/watcher", "@pulumi/command", "esbuild", "node", "protobufjs"]);
  expect(Object.keys(packageJson.allowScripts ?? {}).sort()).toEqual(withScripts);
});

describe("pulumi runs the program on the Node that package.json's engines asks for", () => {
  // Pulumi starts the program with the `node` on PATH, not the one `npm ci` installed.
  const { nodeVersionProblem } = require(join(ROOT, "bin", "node-version.js")) as {
    nodeVersionProblem: (version: string) => string | undefined;
  };

  test("Pulumi.yaml loads the check before the program", () => {
    expect(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8")).toContain(
      'nodeargs: "--require ./bin/require-engines-node.js --require tsx/cjs"',
    );
  });

  test.each([
    [
      "20.20.2",
      "Node 20.20.2 runs this program, but package.json's engines needs node >=22 (@pulumi/pulumi does): run `nvm use` (.nvmrc: 24) or put node_modules/node/bin first on PATH, then run pulumi again",
    ],
    ["22.0.0", undefined],
    ["24.21.0", undefined],
  ])("Node %s: %s", (version, problem) => {
    expect(nodeVersionProblem(version)).toBe(problem);
  });
});

test("npm ci installs the Node the npm scripts run on: node's install script is allowed and its node satisfies engines", () => {
  // The `node` package fetches its binary in its install script; declared `false`, npm ci leaves
  // no node_modules/.bin/node and every npm script silently runs on the machine's older Node.
  expect(packageJson.allowScripts?.node).toBe(true);
  const installed = spawnSync(join(ROOT, "node_modules", ".bin", "node"), ["--version"], {
    encoding: "utf8",
  });
  expect(installed.error).toBeUndefined();
  expect(installed.stdout).toMatch(/^v24\./);
});
