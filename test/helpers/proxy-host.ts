/**
 * A proxy host in a private mount and network namespace: the machine's own files stay as they
 * are, while inside the namespace /etc/nginx (a copy of the stock Debian layout), /var/www,
 * /var/lib (with /var/lib/cloud), /var/log, /run, /usr/local/sbin, /home, /etc/sudoers.d and
 * the user database are temporary directories, and port 80 on loopback is the namespace's own.
 * The apply script runs there with every default path, through real `sudo -n`, as the cloud
 * image's `ubuntu` user. Needs root (unshare, mount); it fails loudly without it, never skips.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "./nginx";

/** The directories and files the namespace replaces, each by its copy under the host root. */
const REPLACED = [
  "/etc/nginx",
  "/etc/sudoers.d",
  "/etc/passwd",
  "/etc/group",
  "/etc/shadow",
  "/var/www",
  "/var/lib",
  "/var/log",
  "/run",
  "/usr/local/sbin",
  "/home",
];

/** Not the machine's: the namespace's user database is a copy with this user added. */
export const UBUNTU_UID = 4242;
/** What cloud-init writes for the image's default user (cc_users_groups, `sudo: ALL=(ALL) NOPASSWD:ALL`). */
export const CLOUD_INIT_SUDOERS_FILE = "/etc/sudoers.d/90-cloud-init-users";
export const CLOUD_INIT_SUDOERS_RULE =
  "# Created by cloud-init\n# User rules for ubuntu\nubuntu ALL=(ALL) NOPASSWD:ALL\n";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  done: Promise<Run>;
}

export interface ProxyHost {
  /** The host root: what the namespace sees at `/x` is at `${root}/x` here. */
  root: string;
  /** Runs a command as root inside the namespace. */
  asRoot(command: string[], stdin?: string): Promise<Run>;
  /**
   * Starts `command` as the SSH session of `remote.Command` would: the `ubuntu` user's login
   * shell runs it with `-c`, in an environment with only what sshd sets, plus `extraEnv`.
   */
  startAsUbuntu(command: string, stdin: string, extraEnv?: Record<string, string>): Running;
  /** Starts a long-lived process as root inside the namespace (nginx, a backend). */
  spawnAsRoot(command: string[]): ChildProcess;
  cleanup(): Promise<void>;
}

function collect(child: ChildProcess, stdin: string | undefined): Promise<Run> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin?.on("error", () => undefined);
  child.stdin?.end(stdin ?? "");
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function prepareRoot(): string {
  const root = makeTempDir("proxy-host");
  for (const path of REPLACED) {
    if (["/etc/passwd", "/etc/group", "/etc/shadow"].includes(path)) continue;
    mkdirSync(join(root, path), { recursive: true, mode: 0o755 });
    chmodSync(join(root, path), 0o755);
  }
  // Debian's nginx package layout as installed on this machine: nginx.conf includes
  // conf.d/*.conf and sites-enabled/* inside http {}, and sites-enabled holds the default site.
  cpSync("/etc/nginx", join(root, "etc/nginx"), { recursive: true, verbatimSymlinks: true });
  const userLine = `ubuntu:x:${UBUNTU_UID}:${UBUNTU_UID}:Ubuntu:/home/ubuntu:/bin/bash\n`;
  writeFileSync(join(root, "etc/passwd"), readFileSync("/etc/passwd", "utf8") + userLine, { mode: 0o644 });
  writeFileSync(join(root, "etc/group"), `${readFileSync("/etc/group", "utf8")}ubuntu:x:${UBUNTU_UID}:\n`, {
    mode: 0o644,
  });
  writeFileSync(
    join(root, "etc/shadow"),
    `${readFileSync("/etc/shadow", "utf8")}ubuntu:!:20000:0:99999:7:::\n`,
    {
      mode: 0o640,
    },
  );
  mkdirSync(join(root, "home/ubuntu"), { mode: 0o755 });
  chmodSync(join(root, "home/ubuntu"), 0o755);
  writeFileSync(join(root, CLOUD_INIT_SUDOERS_FILE), CLOUD_INIT_SUDOERS_RULE, { mode: 0o440 });
  for (const dir of ["var/lib/nginx", "var/lib/sudo", "var/lib/cloud/instance", "var/log/nginx"]) {
    mkdirSync(join(root, dir), { recursive: true, mode: 0o755 });
  }
  return root;
}

export async function startProxyHost(): Promise<ProxyHost> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      "this test runs the apply script as the proxy host does (mount namespace, real sudo, /etc/nginx) and needs root; .ci/run runs the suite as root",
    );
  }
  const root = prepareRoot();
  const mounts = REPLACED.map((path) => `mount --bind "$1${path}" ${path}`).join("\n");
  const holder = spawn(
    "unshare",
    [
      "--mount",
      "--net",
      "--propagation",
      "private",
      "--",
      "bash",
      "-c",
      `set -eu\n${mounts}\nip link set lo up\necho ready\nexec sleep 3600`,
      "holder",
      root,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let holderErr = "";
  holder.stderr?.on("data", (chunk: Buffer) => {
    holderErr += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    holder.once("error", reject);
    holder.once("exit", (code) =>
      reject(new Error(`the namespace did not start (exit ${code}): ${holderErr}`)),
    );
    holder.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
  });
  const enter = ["-t", String(holder.pid), "--mount", "--net", "--"];
  const children: ChildProcess[] = [];

  const host: ProxyHost = {
    root,
    asRoot(command, stdin) {
      return collect(spawn("nsenter", [...enter, ...command], { stdio: "pipe" }), stdin);
    },
    startAsUbuntu(command, stdin, extraEnv = {}) {
      const session = Object.entries({
        HOME: "/home/ubuntu",
        USER: "ubuntu",
        LOGNAME: "ubuntu",
        SHELL: "/bin/bash",
        // sshd's default PATH on Ubuntu.
        PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games:/usr/local/games",
        ...extraEnv,
      }).map(([key, value]) => `${key}=${value}`);
      const child = spawn(
        "nsenter",
        [
          ...enter,
          "setpriv",
          `--reuid=${UBUNTU_UID}`,
          `--regid=${UBUNTU_UID}`,
          "--init-groups",
          "env",
          "-i",
          ...session,
          "/bin/bash",
          "-c",
          command,
        ],
        { stdio: "pipe" },
      );
      return { child, done: collect(child, stdin) };
    },
    spawnAsRoot(command) {
      const child = spawn("nsenter", [...enter, ...command], { stdio: ["ignore", "pipe", "pipe"] });
      children.push(child);
      return child;
    },
    async cleanup() {
      for (const child of children) {
        if (child.exitCode === null) {
          const gone = new Promise((resolve) => child.once("exit", resolve));
          child.kill("SIGTERM");
          await gone;
        }
      }
      if (holder.exitCode === null) {
        const gone = new Promise((resolve) => holder.once("exit", resolve));
        holder.kill("SIGTERM");
        await gone;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
  return host;
}
