// Whether this Node can run the program: package.json's engines, as @pulumi/pulumi requires.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { engines } = require("../package.json");

/** What is wrong with running the program on Node `version`, or undefined. */
function nodeVersionProblem(version) {
  const required = Number(/^>=(\d+)$/.exec(engines.node)?.[1]);
  if (Number(version.split(".")[0]) >= required) return undefined;
  return `Node ${version} runs this program, but package.json's engines needs node ${engines.node} (@pulumi/pulumi does): run \`nvm use\` (.nvmrc: ${readFileSync(join(__dirname, "..", ".nvmrc"), "utf8").trim()}) or put node_modules/node/bin first on PATH, then run pulumi again`;
}

module.exports = { nodeVersionProblem };
