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
};
