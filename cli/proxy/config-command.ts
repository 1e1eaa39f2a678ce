/** `jetstream proxy-config [--stack S] --out DIR` (cli/proxy/config.ts renders the files). */
import type { Command } from "commander";
import { addStackOptions, type StackOptions } from "../stack-file/options";
import type { ProxyConfigOptions } from "./config";

type ProxyConfigFlags = Omit<ProxyConfigOptions, "stack" | "dir"> & StackOptions;

export function registerProxyConfig(program: Command): void {
  addStackOptions(
    program
      .command("proxy-config")
      .summary("render the stack's proxy site and offline page into DIR, with an nginx.conf to try them")
      .description(
        "Render the stack's proxy site (to include inside nginx's http {}) and offline page into DIR,\n" +
          "with an nginx.conf that runs them from DIR as any user, and print the command to run it.\n" +
          "With proxy.tls (acme or certificate), also the site's HTTPS form (site-https.conf, nginx-https.conf), " +
          "reading a certificate from DIR/tls that you put there: the printed openssl command makes a self-signed one.",
      ),
  )
    .requiredOption("--out <dir>", "directory to write site.conf, offline.html and nginx.conf into")
    // No default value: a message names --listen only when the operator gave it.
    .option("--listen <addr:port>", "nginx listen address: PORT or IPV4:PORT; default 80")
    .option(
      "--https-listen <addr:port>",
      "nginx listen address of the HTTPS form (site-https.conf), written when the stack's proxy.tls mode is acme or certificate; default 443",
    )
    .option("--mode <mode>", "online or offline; default the stack's proxy.mode")
    .option(
      "--upstream <host:port>",
      "where the online site forwards; required when the target is an instance (its address is known only after `pulumi up`)",
    )
    .option(
      "--force",
      "replace site.conf, offline.html and nginx.conf in DIR even if proxy-config did not write them",
    )
    .action((options: ProxyConfigFlags) => {
      const { selectStack } = require("../stack-file/select") as typeof import("../stack-file/select");
      const { formatProxyConfigResult, renderProxyConfig } = require("./config") as typeof import("./config");
      const { projectDir, stack } = selectStack(options);
      const result = renderProxyConfig({ ...options, stack, dir: projectDir });
      for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
      process.stdout.write(formatProxyConfigResult(result));
    });
}
