/**
 * A proxy host in a private mount and network namespace: the machine's own files stay as they
 * are, while inside the namespace /etc/nginx (a copy of the stock Debian layout), /var/www,
 * /var/lib (with /var/lib/cloud), /var/log, /run, /usr/local/sbin, /home, /etc/sudoers.d and
 * the user database are temporary directories, and port 80 on loopback is the namespace's own.
 * The apply script runs there with every default path, through real `sudo -n`, as the cloud
 * image's `ubuntu` user. Needs root or passwordless sudo (unshare, mount): it fails loudly without
 * either, never skips.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { makeTempDir } from "../../harness/nginx";

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

/**
 * Root, or passwordless sudo where CI runs as a user (GitHub's runners): the namespace, the
 * mounts and the root-owned copies need it. Anything else fails here, naming what is missing.
 */
function privilege(): string[] {
  if (process.getuid?.() === 0) return [];
  const probe = spawnSync("sudo", ["-n", "true"], { encoding: "utf8" });
  if (probe.status === 0) return ["sudo", "-n"];
  throw new Error(
    `this test runs the apply script as the proxy host does (mount namespace, real sudo, /etc/nginx): run it as root or with passwordless sudo (sudo -n true: ${probe.error?.message ?? probe.stderr.trim()})`,
  );
}

/**
 * The host root's contents, written as root: Debian's nginx package layout as installed here
 * (nginx.conf includes conf.d/*.conf and sites-enabled/* inside http {}, and sites-enabled holds
 * the default site), the user database with the image's user, and cloud-init's sudoers rule.
 */
const PREPARE = `set -eu
root=$1
for path in ${REPLACED.filter((path) => !path.startsWith("/etc/") || path === "/etc/sudoers.d").join(" ")}; do
  install -d -m 0755 "$root$path"
done
install -d -m 0755 "$root/etc" "$root/home/ubuntu" "$root/var/lib/nginx" "$root/var/lib/sudo" \
  "$root/var/lib/cloud/instance" "$root/var/log/nginx"
cp -a /etc/nginx "$root/etc/nginx"
cp -p /etc/passwd /etc/group /etc/shadow "$root/etc/"
echo "ubuntu:x:${UBUNTU_UID}:${UBUNTU_UID}:Ubuntu:/home/ubuntu:/bin/bash" >>"$root/etc/passwd"
echo "ubuntu:x:${UBUNTU_UID}:" >>"$root/etc/group"
echo "ubuntu:!:20000:0:99999:7:::" >>"$root/etc/shadow"
chown ${UBUNTU_UID}:${UBUNTU_UID} "$root/home/ubuntu"
printf '%s' "$2" >"$root${CLOUD_INIT_SUDOERS_FILE}"
chmod 0440 "$root${CLOUD_INIT_SUDOERS_FILE}"
`;

export async function startProxyHost(): Promise<ProxyHost> {
  const asRoot = privilege();
  const root = makeTempDir("proxy-host");
  /** Spawns `command` as root: directly, or through `sudo -n`. */
  const spawnAsRoot = (command: string[], stdio: "pipe" | ["ignore", "pipe", "pipe"] = "pipe") => {
    const [program, ...args] = [...asRoot, ...command];
    return spawn(program, args, { stdio });
  };
  const [program, ...args] = [...asRoot, "bash", "-c", PREPARE, "prepare", root, CLOUD_INIT_SUDOERS_RULE];
  const prepared = spawnSync(program, args, { encoding: "utf8" });
  if (prepared.status !== 0) throw new Error(`preparing the proxy host's files failed: ${prepared.stderr}`);
  const mounts = REPLACED.map((path) => `mount --bind "$1${path}" ${path}`).join("\n");
  // The holder prints its own pid: through sudo, the child process is sudo, not the namespace.
  const holder = spawnAsRoot(
    [
      "unshare",
      "--mount",
      "--net",
      "--propagation",
      "private",
      "--",
      "bash",
      "-c",
      `set -eu\n${mounts}\nip link set lo up\necho "ready $$"\nexec sleep 3600`,
      "holder",
      root,
    ],
    ["ignore", "pipe", "pipe"],
  );
  let holderErr = "";
  holder.stderr?.on("data", (chunk: Buffer) => {
    holderErr += chunk.toString();
  });
  const namespacePid = await new Promise<string>((resolve, reject) => {
    holder.once("error", reject);
    holder.once("exit", (code) =>
      reject(new Error(`the namespace did not start (exit ${code}): ${holderErr}`)),
    );
    holder.stdout?.on("data", (chunk: Buffer) => {
      const ready = /ready (\d+)/.exec(chunk.toString());
      if (ready !== null) resolve(ready[1]);
    });
  });
  const enter = ["nsenter", "-t", namespacePid, "--mount", "--net", "--"];
  const children: ChildProcess[] = [];
  const stop = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await gone;
  };

  return {
    root,
    asRoot: (command, stdin) => collect(spawnAsRoot([...enter, ...command]), stdin),
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
      const child = spawnAsRoot([
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
      ]);
      return { child, done: collect(child, stdin) };
    },
    spawnAsRoot(command) {
      const child = spawnAsRoot([...enter, ...command], ["ignore", "pipe", "pipe"]);
      children.push(child);
      return child;
    },
    async cleanup() {
      for (const child of children) await stop(child);
      await stop(holder);
      const [rm, ...rmArgs] = [...asRoot, "rm", "-rf", "--", root];
      spawnSync(rm, rmArgs);
    },
  };
}
