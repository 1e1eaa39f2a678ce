/** `jetstream proxy TARGET [PORT]`, `jetstream online`, `jetstream offline`: the public site. */
import type { Command } from "commander";
import type { EditDeps } from "../stack-file/edit-flow";
import { addStackOptions, type StackOptions } from "../stack-file/options";

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
  ).action((target: string, port: string | undefined, options: StackOptions) => {
    const { runStackEdit } = require("../stack-file/edit-flow") as typeof import("../stack-file/edit-flow");
    const { otherStacks } =
      require("../stack-file/other-stacks") as typeof import("../stack-file/other-stacks");
    const { switchProxy } = require("./switch") as typeof import("./switch");
    return runStackEdit(
      options,
      (file, projectDir) => switchProxy(file, target, port, otherStacks(projectDir, file.stack)),
      deps,
    );
  });
}

export function registerOnline(program: Command, deps?: EditDeps): void {
  addStackOptions(
    program
      .command("online")
      .summary("serve the proxy target again")
      .description("Serve the proxy target again at jetstream.lappsgrid.org (proxy.mode: online)."),
  ).action((options: StackOptions) => {
    const { runStackEdit } = require("../stack-file/edit-flow") as typeof import("../stack-file/edit-flow");
    const { otherStacks } =
      require("../stack-file/other-stacks") as typeof import("../stack-file/other-stacks");
    const { setProxyMode } = require("./switch") as typeof import("./switch");
    return runStackEdit(
      options,
      (file, projectDir) => setProxyMode(file, "online", otherStacks(projectDir, file.stack)),
      deps,
    );
  });
}

export function registerOffline(program: Command, deps?: EditDeps): void {
  addStackOptions(
    program
      .command("offline")
      .summary('show the "offline to preserve resources" page')
      .description(
        'Show the static "offline to preserve resources" page at jetstream.lappsgrid.org (proxy.mode: offline).',
      ),
  ).action((options: StackOptions) => {
    const { runStackEdit } = require("../stack-file/edit-flow") as typeof import("../stack-file/edit-flow");
    const { otherStacks } =
      require("../stack-file/other-stacks") as typeof import("../stack-file/other-stacks");
    const { setProxyMode } = require("./switch") as typeof import("./switch");
    return runStackEdit(
      options,
      (file, projectDir) => setProxyMode(file, "offline", otherStacks(projectDir, file.stack)),
      deps,
    );
  });
}
