/**
 * A stack file as a git ref holds it. An operator may keep the stack file elsewhere and link it
 * (`Pulumi.iu.yaml -> real/iu.yaml`, edited through the link); git stores the link itself, whose
 * content is the target's path, so the text at the ref is the target's, followed at that ref.
 */
import { posix } from "node:path";
import { git } from "../offline/program-at-ref";

export type FileAtRef =
  | { kind: "text"; text: string }
  /** The ref does not hold the file: the stack is new since. */
  | { kind: "absent" }
  /** The ref holds a link git cannot follow there; `problem` says why, in one line. */
  | { kind: "unreadable"; problem: string };

/** git's mode of a symbolic link in a tree. */
const LINK_MODE = "120000";
/** Links followed before giving up: a loop of links ends here. */
const MAX_LINKS = 8;

interface TreeEntry {
  mode: string;
  type: string;
  object: string;
}

/** The entry at `path` (from the repository's top) in `ref`'s tree, or undefined. */
function entryAt(projectDir: string, ref: string, path: string): TreeEntry | undefined {
  const line = git(projectDir, ["ls-tree", "--full-tree", ref, "--", path]).split("\n")[0] ?? "";
  const match = /^(\d+) (\w+) ([0-9a-f]+)\t/.exec(line);
  return match === null ? undefined : { mode: match[1], type: match[2], object: match[3] };
}

/**
 * `fileName` (in the project folder) as `ref` holds it, links followed relative to the link's
 * folder. Throws what git throws (no repository, no such ref, a damaged clone).
 */
export function fileAtRef(projectDir: string, ref: string, fileName: string): FileAtRef {
  const prefix = git(projectDir, ["rev-parse", "--show-prefix"]).trim();
  let path = posix.join(prefix, fileName);
  let entry = entryAt(projectDir, ref, path);
  if (entry === undefined) return { kind: "absent" };
  const at = `${fileName} at "${ref}"`;
  for (let links = 0; entry.mode === LINK_MODE; links++) {
    if (links === MAX_LINKS) {
      return { kind: "unreadable", problem: `${at} is a chain of more than ${MAX_LINKS} links` };
    }
    const target = git(projectDir, ["cat-file", "blob", entry.object]);
    path = posix.normalize(posix.join(posix.dirname(path), target));
    if (posix.isAbsolute(target) || path === ".." || path.startsWith("../")) {
      return {
        kind: "unreadable",
        problem: `${at} links to ${target}, outside the repository: git holds the link there, not the stack file`,
      };
    }
    entry = entryAt(projectDir, ref, path);
    if (entry === undefined) {
      return { kind: "unreadable", problem: `${at} links to ${target}, which "${ref}" does not hold` };
    }
  }
  if (entry.type !== "blob") {
    const what = entry.type === "tree" ? "a folder" : "a submodule";
    return { kind: "unreadable", problem: `${at} is ${what} (${path}), not a file` };
  }
  return { kind: "text", text: git(projectDir, ["cat-file", "blob", entry.object]) };
}
