// Preloaded whenever Pulumi runs the program (Pulumi.yaml, nodeargs). Pulumi starts it with the
// `node` on PATH, not the Node 24 that `npm ci` installs for the npm scripts: an older one gets
// one line saying what to do instead of a failure deep inside @pulumi/pulumi.
const { nodeVersionProblem } = require("./node-version");

const problem = nodeVersionProblem(process.versions.node);
if (problem !== undefined) {
  console.error(problem);
  process.exit(1);
}
