/** Runs the proxy's apply script locally, against an nginx under a temporary prefix. */
import { spawn } from "node:child_process";
import { APPLY_SCRIPT_FILE } from "../components/proxy/apply-script";

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runProcess(
  command: string,
  args: string[],
  stdin: string,
  env: Record<string, string> = {},
  cwd?: string,
): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(stdin);
  });
}

export function runApplyScript(stdin: string, env: Record<string, string>): Promise<ScriptRun> {
  return runProcess("bash", [APPLY_SCRIPT_FILE], stdin, env);
}
