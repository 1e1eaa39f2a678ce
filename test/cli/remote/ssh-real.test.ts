/**
 * `jetstream ssh` against two real sshd on loopback: a proxy host to jump through and a target.
 * Host keys are checked against a known_hosts file the test writes; a changed key (a rebuilt
 * server) stops the login with ssh's warning and a line saying what to do.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RemoteAccessError } from "../../../cli/remote/route";
import { runSsh, type SshOptions } from "../../../cli/remote/ssh";
import { freePort } from "../../../harness/nginx";
import { type Sshd, startSshd } from "../../helpers/sshd";
import { copyProject, runVerb } from "../support";

let jump: Sshd;
let target: Sshd;
let project: string;
let scratch: string;
let knownHosts: string;
let errors: string[];
const savedHome = process.env.HOME;

function hostKey(sshd: Sshd): string {
  return readFileSync(join(sshd.dir, "host_key.pub"), "utf8").split(" ").slice(0, 2).join(" ");
}

function otherKey(): string {
  const file = join(scratch, `other-${Date.now()}`);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
  return readFileSync(`${file}.pub`, "utf8").split(" ").slice(0, 2).join(" ");
}

function writeKnownHosts(lines: string[]): void {
  writeFileSync(knownHosts, lines.map((line) => `${line}\n`).join(""));
}

const options = (extra: Partial<SshOptions> = {}): SshOptions => ({
  dir: project,
  stack: "iu",
  address: `127.0.0.1:${target.port}`,
  user: target.user,
  identity: [target.keyFile, jump.keyFile],
  knownHosts,
  ...extra,
});

const ssh = (command: string[], extra: Partial<SshOptions> = {}) =>
  runSsh("galaxy", command, options(extra), {
    stdio: "pipe",
    writeError: (text) => errors.push(text),
  });

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "jetstream-ssh-test-"));
  // No user ssh_config of the machine running the tests may take part.
  process.env.HOME = scratch;
  knownHosts = join(scratch, "known_hosts");
  project = copyProject();
  jump = await startSshd({ LAPPSGRID_SSH_ROLE: "jump" });
  target = await startSshd({ LAPPSGRID_SSH_ROLE: "target" });
});
afterAll(async () => {
  process.env.HOME = savedHome;
  await jump?.stop();
  await target?.stop();
  rmSync(scratch, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});
beforeEach(() => {
  errors = [];
  writeKnownHosts([
    `[127.0.0.1]:${jump.port} ${hostKey(jump)}`,
    `[127.0.0.1]:${target.port} ${hostKey(target)}`,
  ]);
});

test("ssh NAME -- COMMAND runs the command on the instance at --address and passes its exit code", async () => {
  const run = await ssh(["echo", "hello", "from", "$((6*7));", "exit", "3"]);
  expect(run.stdout).toBe("hello from 42\n");
  expect(run.code).toBe(3);
  expect(errors).toEqual([]);
});

test("ssh goes through the jump host and lands on the target", async () => {
  const run = await ssh(["echo", "$SSH_CONNECTION"], { jump: `${jump.user}@127.0.0.1:${jump.port}` });
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  // The target sees the connection the jump host forwarded, on the target's own port.
  expect(run.stdout.trim().split(" ").slice(2)).toEqual(["127.0.0.1", String(target.port)]);
});

test("the jump host is really used: a jump host that does not answer stops the login", async () => {
  const closed = await freePort();
  const run = await ssh(["true"], { jump: `127.0.0.1:${closed}` });
  expect(run.code).toBe(255);
  expect(run.stderr).toContain(`connect to host 127.0.0.1 port ${closed}: Connection refused`);
});

test("a changed host key on the instance stops the login and says to forget it after a rebuild", async () => {
  writeKnownHosts([`[127.0.0.1]:${target.port} ${otherKey()}`]);
  const run = await ssh(["echo", "should not run"]);
  expect(run.code).toBe(255);
  expect(run.stdout).toBe("");
  expect(run.stderr).toContain("REMOTE HOST IDENTIFICATION HAS CHANGED");
  expect(errors).toEqual([
    `jetstream ssh: the host key of lappsgrid-galaxy ([127.0.0.1]:${target.port}) is not the one recorded in ${knownHosts}. A server that \`pulumi up\` rebuilt or replaced has a new key: if that happened, run \`jetstream forget galaxy --stack iu --known-hosts ${knownHosts} --address 127.0.0.1:${target.port}\` and connect again with --accept-new. If not, do not connect: something else answers at that address.\n`,
  ]);
});

test("a changed host key on the jump host names the jump host", async () => {
  writeKnownHosts([
    `[127.0.0.1]:${jump.port} ${otherKey()}`,
    `[127.0.0.1]:${target.port} ${hostKey(target)}`,
  ]);
  const run = await ssh(["echo", "should not run"], { jump: `${jump.user}@127.0.0.1:${jump.port}` });
  expect(run.code).toBe(255);
  expect(run.stdout).toBe("");
  expect(errors).toEqual([
    `jetstream ssh: the host key of the jump host (the proxy host, [127.0.0.1]:${jump.port}) is not the one recorded in ${knownHosts}. A server that \`pulumi up\` rebuilt or replaced has a new key: if that happened, run \`jetstream forget proxy --stack iu --known-hosts ${knownHosts} --address ${jump.user}@127.0.0.1:${jump.port}\` and connect again with --accept-new. If not, do not connect: something else answers at that address.\n`,
  ]);
});

test("the advised forget, run as written, lets --accept-new record the new key", async () => {
  writeKnownHosts([`[127.0.0.1]:${target.port} ${otherKey()}`]);
  expect((await ssh(["true"])).code).toBe(255);
  const advice = /run `jetstream (forget [^`]+)`/.exec(errors[0])?.[1].split(" ") ?? [];
  expect(runVerb(advice, { cwd: project, env: { HOME: scratch } })).toEqual({
    code: 0,
    stdout: `forgot [127.0.0.1]:${target.port} (lappsgrid-galaxy) in ${knownHosts}\n`,
    stderr: "",
  });
  expect(await ssh(["echo", "ok"], { acceptNew: true })).toMatchObject({ code: 0, stdout: "ok\n" });
});

test.each([
  ["kh-changed", "kh-changed"],
  ["kh changed", "'kh changed'"],
])("the verb repeats --known-hosts %s as typed, quoted for the shell, in its advice", (file, word) => {
  writeFileSync(join(project, file), `[127.0.0.1]:${target.port} ${otherKey()}\n`);
  const run = runVerb(
    [
      "ssh",
      "galaxy",
      "--stack",
      "iu",
      "--address",
      `127.0.0.1:${target.port}`,
      "--user",
      target.user,
      "-i",
      target.keyFile,
      "--known-hosts",
      file,
      "--",
      "true",
    ],
    { cwd: project, env: { HOME: scratch } },
  );
  expect(run.code).toBe(255);
  expect(run.stderr).toContain(
    `run \`jetstream forget galaxy --stack iu --known-hosts ${word} --address 127.0.0.1:${target.port}\` and connect again`,
  );
});

test("an unknown host key is refused; --accept-new records it and checks it from then on", async () => {
  writeKnownHosts([]);
  const refused = await ssh(["true"]);
  expect(refused.code).toBe(255);
  expect(errors).toEqual([
    `jetstream ssh: lappsgrid-galaxy ([127.0.0.1]:${target.port}) is not in ${knownHosts} yet; to trust the key it shows on this first connection, run again with --accept-new (it is recorded, and checked from then on).\n`,
  ]);
  const accepted = await ssh(["echo", "ok"], { acceptNew: true });
  expect(accepted).toMatchObject({ code: 0, stdout: "ok\n" });
  expect(readFileSync(knownHosts, "utf8")).toContain(`[127.0.0.1]:${target.port} ${hostKey(target)}`);
  const again = await ssh(["echo", "ok"]);
  expect(again).toMatchObject({ code: 0, stdout: "ok\n" });
});

test("--accept-new into a folder that does not exist is refused before ssh logs in", async () => {
  const folder = join(scratch, "newdir");
  const attempt = ssh(["echo", "should not run"], { acceptNew: true, knownHosts: join(folder, "kh") });
  await expect(attempt).rejects.toThrow(RemoteAccessError);
  await expect(attempt).rejects.toThrow(
    `--known-hosts: ${join(folder, "kh")}: the folder ${folder} does not exist, so ssh could not record the key it accepts (every later run would accept any key); allowed: a file in an existing folder; create it first (mkdir -p ${folder})`,
  );
  expect(existsSync(folder)).toBe(false);
});

test("an instance without any address in the live outputs is refused before ssh runs", async () => {
  const attempt = runSsh("galaxy", ["true"], options({ address: undefined }), {
    stdio: "pipe",
    readOutputs: async () => ({ instances: { "lappsgrid-galaxy": { name: "lappsgrid-galaxy" } } }),
  });
  await expect(attempt).rejects.toThrow(RemoteAccessError);
  await expect(attempt).rejects.toThrow(
    "lappsgrid-galaxy has no address in the stack's outputs (not created yet, or created by an older program: run `pulumi up --stack iu`); give it by hand with --address HOST[:PORT]",
  );
});

test("without --address and without the Pulumi CLI, the message says both ways out", async () => {
  const savedPath = process.env.PATH;
  process.env.PATH = "/nonexistent";
  try {
    await expect(
      runSsh("galaxy", ["true"], options({ address: undefined }), { stdio: "pipe" }),
    ).rejects.toThrow(
      /^Pulumi CLI missing: `jetstream ssh` runs the real engine; .* Or give the address by hand with --address HOST\[:PORT\]\.$/,
    );
  } finally {
    process.env.PATH = savedPath;
  }
});

test("the CLI verb passes the remote command's output and exit status through", () => {
  const run = runVerb(
    [
      "ssh",
      "galaxy",
      "--stack",
      "iu",
      "--address",
      `127.0.0.1:${target.port}`,
      "--user",
      target.user,
      "-i",
      target.keyFile,
      "--known-hosts",
      knownHosts,
      "--",
      "echo",
      "from the verb;",
      "exit",
      "7",
    ],
    { cwd: project, env: { HOME: scratch } },
  );
  expect(run).toEqual({ code: 7, stdout: "from the verb\n", stderr: "" });
});
