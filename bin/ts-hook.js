// Runs the project's TypeScript in place, with no build step: a `.ts` file is transpiled by
// esbuild (kept on disk, keyed by its content) when Node requires it. Unlike tsx's hook, which
// also inspects every JavaScript file Node loads, this one leaves node_modules alone: loading
// @pulumi/pulumi and @pulumi/openstack through tsx took twice as long as in plain Node.
// Types are checked by `npm run typecheck`, never here.
// V8 keeps the compiled code of the modules Node loads on disk (Node 22.1+), keyed by their
// source: from the second run on, loading the Pulumi SDK and provider costs about a fifth less.
require("node:module").enableCompileCache?.();
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { tmpdir, userInfo } = require("node:os");
const { join } = require("node:path");

const ROOT = join(__dirname, "..");
// The compiler options decide the output too (class fields, module interop): part of the key.
const COMPILER_OPTIONS = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")).compilerOptions;
const CACHE = join(tmpdir(), `jetstream-ts-${userInfo().uid}`);
const SALT = JSON.stringify({ COMPILER_OPTIONS, hook: 1 });

function transpile(source, filename) {
  // Loaded only on a cache miss: esbuild starts a service process of its own.
  const { transformSync } = require("esbuild");
  return transformSync(source, {
    loader: "ts",
    format: "cjs",
    platform: "node",
    target: `node${process.versions.node.split(".")[0]}`,
    sourcefile: filename,
    sourcemap: "inline",
    tsconfigRaw: { compilerOptions: COMPILER_OPTIONS },
  }).code;
}

function compiled(filename) {
  const source = readFileSync(filename, "utf8");
  const key = createHash("sha256").update(SALT).update(filename).update("\0").update(source).digest("hex");
  const cached = join(CACHE, `${key}.js`);
  try {
    return readFileSync(cached, "utf8");
  } catch {
    const code = transpile(source, filename);
    mkdirSync(CACHE, { recursive: true });
    // Two processes may compile the same file at once: each writes its own, then renames.
    const partial = `${cached}.${process.pid}`;
    writeFileSync(partial, code);
    renameSync(partial, cached);
    return code;
  }
}

if (!require.extensions[".ts"]) {
  require.extensions[".ts"] = (module, filename) => {
    module._compile(compiled(filename), filename);
  };
  // Stack traces point into the .ts sources, as they did under tsx.
  process.setSourceMapsEnabled(true);
}
