// Mutation testing (`npm run mutate`), kept out of `npm test`: it reruns the tests once per
// mutant. Scoped to the modules whose behaviour is pure and fast to test. One module against
// its own tests (the commands that produced each score are in README.md, "Benchmarks"):
//   MUTATE_TESTS=test/foundation/config-errors.test.ts npm run mutate -- --mutate config/net.ts
const defaultTests = [
  "test/foundation/**/*.test.ts",
  "test/cli/**/*.test.ts",
  "test/gitops/openrc*.test.ts",
  // The proxy renderers' own tests; those that start nginx or sshd are left out (minutes per mutant).
  ...["component", "user-data", "host-layout", "site-params", "apply-input"].map(
    (name) => `test/proxy/${name}.test.ts`,
  ),
];
const tests = (process.env.MUTATE_TESTS?.split(",") ?? defaultTests).map(
  (pattern) => `<rootDir>/${pattern.trim()}`,
);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "jest",
  jest: { projectType: "custom", configFile: "jest.config.js", config: { testMatch: tests } },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  coverageAnalysis: "perTest",
  mutate: [
    "config/**/*.ts",
    // The proxy's pure renderers; index.ts (the component) and apply-script.ts (a file read) are not.
    "components/proxy/{nginx-site,offline-page,candidate,user-data,site-params,apply-input,host-layout}.ts",
    "cli/stack-file/{edit,select,write}.ts",
    // The edit verbs.
    "cli/{launch/launch,lifecycle/set-state,delete/delete,proxy/switch}.ts",
    "cli/openrc/{parse,provider}.ts",
    "cli/resource-diff/compare.ts",
  ],
  reporters: ["clear-text", "progress", "html"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  tempDirName: ".stryker-tmp",
  // Two cores are shared; one mutant at a time.
  concurrency: 1,
  timeoutMS: 60000,
};
