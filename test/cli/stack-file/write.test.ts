/** Writing an edited stack file: a read-only file refused, a link and a mode kept, nothing left behind. */
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { refuseReadOnly, writeFileAtomically } from "../../../cli/stack-file/write";

describe("writing the file", () => {
  const dir = () => mkdtempSync(join(tmpdir(), "stack-write-"));

  test("a read-only stack file is refused with its mode and the command that makes it writable", () => {
    const path = join(dir(), "Pulumi.lab.yaml");
    writeFileSync(path, "config: {}\n");
    chmodSync(path, 0o444);
    expect(() => refuseReadOnly(path)).toThrow(
      "Pulumi.lab.yaml is read-only (mode 444); left unchanged; make it writable first (chmod u+w Pulumi.lab.yaml) if this edit is meant",
    );
    expect(() => writeFileAtomically(path, "config: {x: 1}\n")).toThrow(
      "Pulumi.lab.yaml is read-only (mode 444)",
    );
    expect(readFileSync(path, "utf8")).toBe("config: {}\n");
  });

  test("the file keeps its mode, a symlinked file keeps its link, and no temporary file is left", () => {
    const folder = dir();
    const real = join(folder, "stacks.yaml");
    writeFileSync(real, "config: {}\n");
    chmodSync(real, 0o640);
    const link = join(folder, "Pulumi.lab.yaml");
    symlinkSync(real, link);
    writeFileAtomically(link, "config:\n  lappsgrid-jetstream:cloud: IU\n");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, "utf8")).toBe("config:\n  lappsgrid-jetstream:cloud: IU\n");
    expect(statSync(real).mode & 0o777).toBe(0o640);
    expect(readdirSync(folder).sort()).toEqual(["Pulumi.lab.yaml", "stacks.yaml"]);
  });

  test("a write that fails leaves no temporary file beside the stack file", () => {
    const folder = dir();
    // A directory where the stack file should be: the rename onto it fails.
    const path = join(folder, "Pulumi.lab.yaml");
    mkdirSync(path);
    expect(() => writeFileAtomically(path, "config: {}\n")).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(folder)).toEqual(["Pulumi.lab.yaml"]);
  });
});
