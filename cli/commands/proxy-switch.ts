/** `jetstream proxy TARGET [PORT]`, `jetstream online`, `jetstream offline`: the public site. */
import type { Command } from "commander";
import { addStackOptions, type EditDeps, runStackEdit, type StackOptions } from "../verbs/edit-flow";
import { otherStacks } from "../verbs/other-stacks";
import { setProxyMode, switchProxy } from "../verbs/proxy-switch";

export function registerProxy(program: Command, deps?: EditDeps): void {
  addStackOptions(
    program
      .command("proxy")
      .summary("point jetstream.lappsgrid.org at an instance, <stack>/<instance> or address")
      .description(
        "Point jetstream.lappsgrid.org at TARGET: an instance of this stack, <stack>/<instance> " +
          "(another cloud's instance), an IPv4 address or a host name. The proxy reloads nginx: no " +
          "request is dropped.",
      )
      .argument("<target>", "instance, <stack>/<instance>, IPv4 address or host name")
      .argument("[port]", "port of the service on the target (default 8080, Galaxy)"),
  ).action((target: string, port: string | undefined, options: StackOptions) =>
    runStackEdit(
      options,
      (file, projectDir) => switchProxy(file, target, port, otherStacks(projectDir, file.stack)),
      deps,
    ),
  );
}

export function registerOnline(program: Command, deps?: EditDeps): void {
  addStackOptions(
    program
      .command("online")
      .summary("serve the proxy target again")
      .description("Serve the proxy target again at jetstream.lappsgrid.org (proxy.mode: online)."),
  ).action((options: StackOptions) =>
    runStackEdit(
      options,
      (file, projectDir) => setProxyMode(file, "online", otherStacks(projectDir, file.stack)),
      deps,
    ),
  );
}

export function registerOffline(program: Command, deps?: EditDeps): void {
  addStackOptions(
    program
      .command("offline")
      .summary('show the "offline to preserve resources" page')
      .description(
        'Show the static "offline to preserve resources" page at jetstream.lappsgrid.org (proxy.mode: offline).',
      ),
  ).action((options: StackOptions) =>
    runStackEdit(
      options,
      (file, projectDir) => setProxyMode(file, "offline", otherStacks(projectDir, file.stack)),
      deps,
    ),
  );
}
