/**
 * A real sshd on a loopback port with its own config, host key and authorized_keys in a
 * temporary directory, running as the current user. The environment the apply script needs
 * is set by sshd itself (SetEnv), so the client sends exactly what remote.Command sends:
 * one command line and stdin.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { freePort, makeTempDir, waitForPort } from "../../harness/nginx";
import { runProcess, type ScriptRun } from "../../harness/proxy-apply";

export const SSHD_BINARY = "/usr/sbin/sshd";

export interface Sshd {
  dir: string;
  port: number;
  user: string;
  /** The client's private key file. */
  keyFile: string;
  /** Runs `ssh ... 127.0.0.1 COMMAND < stdin` as remote.Command would. */
  run(command: string, stdin: string): Promise<ScriptRun>;
  stop(): Promise<void>;
}

/** sshd_config quoting: the whole NAME=VALUE in double quotes. */
function setEnvLine(env: Record<string, string>): string {
  return `SetEnv ${Object.entries(env)
    .map(([name, value]) => `"${name}=${value}"`)
    .join(" ")}`;
}

export async function startSshd(env: Record<string, string>): Promise<Sshd> {
  const dir = makeTempDir("sshd");
  const port = await freePort();
  const user = userInfo().username;
  const hostKey = join(dir, "host_key");
  const keyFile = join(dir, "client_key");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "lappsgrid-proxy-test", "-f", keyFile]);
  execFileSync("cp", [`${keyFile}.pub`, join(dir, "authorized_keys")]);
  chmodSync(join(dir, "authorized_keys"), 0o600);
  // A root sshd separates privileges into this directory; Debian's service creates it at start.
  if (process.getuid?.() === 0) mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const config = join(dir, "sshd_config");
  writeFileSync(
    config,
    `${[
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      `AllowUsers ${user}`,
      "PermitRootLogin prohibit-password",
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      // The temporary directory is not the user's home; its modes are the test's business.
      "StrictModes no",
      "LogLevel ERROR",
      setEnvLine(env),
    ].join("\n")}\n`,
  );
  const child: ChildProcess = spawn(SSHD_BINARY, ["-D", "-e", "-f", config], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // A missing sshd fails the test loudly (spawn error), never skips it.
  const exited = new Promise<never>((_, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`sshd exited with ${code}: ${stderr}`)));
  });
  await Promise.race([waitForPort(port), exited]);
  exited.catch(() => undefined);
  return {
    dir,
    port,
    user,
    keyFile,
    run: (command, stdin) =>
      runProcess(
        "ssh",
        [
          // No user or system ssh_config: only what remote.Command's connection sets matters.
          "-F",
          "/dev/null",
          "-i",
          keyFile,
          "-p",
          String(port),
          "-o",
          "StrictHostKeyChecking=no",
          "-o",
          "UserKnownHostsFile=/dev/null",
          "-o",
          "BatchMode=yes",
          "-o",
          "LogLevel=ERROR",
          `${user}@127.0.0.1`,
          command,
        ],
        stdin,
      ),
    async stop() {
      if (child.exitCode === null) {
        const gone = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
