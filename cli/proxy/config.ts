/**
 * `jetstream proxy-config`: renders a stack's proxy site and offline page into a directory,
 * with a main nginx.conf beside them, so anyone can run the site with a stock nginx before
 * (or instead of) pushing it to the proxy host.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { renderProxyCandidate } from "../../components/proxy/candidate";
import { OFFLINE_PAGE_FILE } from "../../components/proxy/nginx-site";
import { checkDirectory, checkListen, parseHostPort } from "../../components/proxy/site-params";
import { renderStandaloneNginxConf } from "../../components/proxy/standalone-nginx";
import { isIpv4, readStackFile, type StackConfig, validateStackConfig } from "../../config";
import { cidrContains, isLocalhostName } from "../../config/net";
import { notAnHttpPort, offlineUntilPassedProblem } from "../../config/proxy-settings";
import { addressTargetProblem } from "../../config/resolve-proxy";
import type { ProxyConfig, ProxyTarget } from "../../config/types";
import { noProxyBlock, otherStacks } from "../stack-file/other-stacks";
import {
  checkHttpsListen,
  HTTPS_CONF_FILE,
  HTTPS_SITE_FILE,
  type HttpsTrial,
  httpsLines,
} from "./https-trial";
import { forwardsToItself, localIpv4Addresses } from "./upstream-loop";

/** Where the trial nginx listens without --listen: port 80 of every address. */
const DEFAULT_LISTEN = "80";

export interface ProxyConfigOptions {
  stack: string;
  out: string;
  /** nginx `listen`: PORT or IPV4:PORT; default 80. */
  listen?: string;
  mode?: string;
  upstream?: string;
  /** nginx `listen` of the HTTPS form, for a stack with proxy.tls; default 443. */
  httpsListen?: string;
  dir: string;
  /** Replace the files it writes even when proxy-config did not write them. */
  force?: boolean;
}

export interface ProxyConfigResult {
  outDir: string;
  siteFile: string;
  pageFile: string;
  confFile: string;
  mode: ProxyConfig["mode"];
  domain: string;
  listen: string;
  /** `HOST:PORT` the online site forwards to. */
  upstream?: string;
  /** The command that runs the site in a stock nginx. */
  runCommand: string;
  https?: HttpsTrial;
  /** What the rendered site shows that it should not (a passed offlineUntil), for stderr. */
  warnings: string[];
}

const CREATE_ERRORS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EROFS: "read-only file system",
  EEXIST: "it exists and is not a directory",
};

/**
 * Creates `outDir` one folder at a time, failing on the first it cannot make. (Node's recursive
 * mkdir spins forever on a path such as /proc/x, where mkdir fails with ENOENT.)
 */
function makeOutDirectory(outDir: string): void {
  const missing: string[] = [];
  let existing = outDir;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    existing = dirname(existing);
  }
  if (!statSync(existing).isDirectory()) {
    const what = `${existing} is a file, not a directory`;
    throw new Error(`--out ${outDir}: ${existing === outDir ? what : `cannot create ${outDir}: ${what}`}`);
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      throw new Error(`--out ${outDir}: cannot create ${folder} (${CREATE_ERRORS[code] ?? code})`);
    }
  }
}

/** The first line of a file, or undefined when there is none. */
function firstLine(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8").split("\n")[0] : undefined;
}

/**
 * `--out /etc/nginx` must not replace the host's nginx.conf: a file is replaced only when this
 * command wrote it (its first line is the one it writes; offline.html goes with such a
 * site.conf), or with --force.
 */
function refuseForeignFiles(outDir: string, rendered: Record<string, string>): void {
  const ours = (file: string) => firstLine(join(outDir, file)) === rendered[file].split("\n")[0];
  for (const file of Object.keys(rendered)) {
    if (!existsSync(join(outDir, file))) continue;
    const written = file === OFFLINE_PAGE_FILE ? ours("site.conf") : ours(file);
    if (!written) {
      throw new Error(
        `--out ${outDir}: ${file} exists and was not written by \`jetstream proxy-config\`; allowed: a new or empty directory, one proxy-config wrote before, or --force to replace it`,
      );
    }
  }
}

function describeTarget(target: ProxyTarget): string {
  if (target.kind === "instance") return `${target.name}, an instance of this stack`;
  if (target.kind === "stack") return `${target.stack}/${target.name}, an instance of stack ${target.stack}`;
  return target.address;
}

/** The upstream of an online site: --upstream, or the target's literal address. */
function resolveUpstream(
  proxy: ProxyConfig,
  stack: string,
  upstream?: string,
): { host: string; port: number } {
  if (upstream !== undefined) return parseHostPort(upstream, "--upstream");
  const target = proxy.target;
  if (target?.kind === "address") return { host: target.address, port: proxy.port };
  throw new Error(
    `--upstream: required for the online site of stack ${stack}: its target ${target ? describeTarget(target) : "(none)"} gets an address only at \`pulumi up\`; allowed: HOST:PORT of the service, e.g. --upstream 10.0.0.12:${proxy.port}`,
  );
}

const UPSTREAM_ALLOWED = "allowed: HOST:PORT of another host than the proxy";

function isLoopback(host: string): boolean {
  return isIpv4(host) ? cidrContains("127.0.0.0/8", host) : isLocalhostName(host);
}

/**
 * `--upstream` is held to the rules of `proxy.target`: not the proxy itself, not an address no
 * service is on, not nginx's own listening socket. One exception: a loopback service for a
 * trial of the site on this machine, with nginx listening on loopback too.
 */
function refuseUpstream(
  upstream: { host: string; port: number },
  listen: string,
  listenGiven: boolean,
  config: StackConfig,
): void {
  const proxy = config.proxy as ProxyConfig;
  const loop = forwardsToItself(listen, upstream, localIpv4Addresses(), listenGiven);
  if (loop !== undefined) {
    throw new Error(
      `--upstream: ${loop}: the site would forward to itself; allowed: the service's HOST:PORT, another port`,
    );
  }
  const notHttp = notAnHttpPort(upstream.port);
  if (notHttp !== undefined) {
    throw new Error(
      `--upstream: ${upstream.host}:${upstream.port}: port ${upstream.port} ${notHttp}; allowed: HOST:PORT of the target's HTTP service`,
    );
  }
  const listenHost = listen.includes(":") ? listen.split(":")[0] : "0.0.0.0";
  if (isLoopback(upstream.host) && isLoopback(listenHost)) return;
  const proxyHosts = config.instances.filter((instance) => instance.role === "proxy");
  const why = addressTargetProblem(upstream.host, {
    host: proxy.host,
    domain: proxy.domain,
    proxyHost: proxyHosts.length === 1 ? proxyHosts[0] : undefined,
    cidr: config.network.cidr,
  });
  if (why === undefined) return;
  const trial = isLoopback(upstream.host)
    ? " (loopback only for a trial on this machine: --listen 127.0.0.1:PORT with another port)"
    : "";
  throw new Error(`--upstream: ${JSON.stringify(upstream.host)} ${why}; ${UPSTREAM_ALLOWED}${trial}`);
}

export function renderProxyConfig(options: ProxyConfigOptions): ProxyConfigResult {
  if (options.mode !== undefined && options.mode !== "online" && options.mode !== "offline") {
    throw new Error(`--mode: ${JSON.stringify(options.mode)} is not allowed; allowed: online, offline`);
  }
  const listen = checkListen(options.listen ?? DEFAULT_LISTEN, "--listen");
  // resolve("") is the current directory: `--out "$DIR"` with DIR unset must not write there.
  if (options.out === "") {
    throw new Error(
      "--out: an empty value (an unset shell variable?); allowed: a directory to write the site into",
    );
  }
  const outDir = checkDirectory(resolve(options.out), "--out");
  const stackFile = readStackFile(resolve(options.dir), options.stack);
  const config = validateStackConfig(stackFile.project, options.stack);
  if (config.proxy === undefined) {
    throw new Error(noProxyBlock(basename(stackFile.path), otherStacks(resolve(options.dir), options.stack)));
  }
  const mode = (options.mode as ProxyConfig["mode"] | undefined) ?? config.proxy.mode;
  let proxy: ProxyConfig = { ...config.proxy, mode };
  let upstream: { host: string; port: number } | undefined;
  if (mode === "online") {
    upstream = resolveUpstream(proxy, options.stack, options.upstream);
    if (options.upstream !== undefined)
      refuseUpstream(upstream, listen, options.listen !== undefined, config);
    proxy = { ...proxy, port: upstream.port };
  } else if (options.upstream !== undefined) {
    throw new Error(
      "--upstream: only for an online site; allowed with --mode online (or a stack whose mode is online)",
    );
  }
  const httpsListen = checkHttpsListen(
    options.httpsListen,
    listen,
    proxy.tls.mode,
    options.listen !== undefined,
  );
  // Every file the sites name lies in --out: the ACME webroot, and a certificate put there by hand.
  const tlsDir = join(outDir, "tls");
  const certificateFiles = { chain: join(tlsDir, "fullchain.pem"), key: join(tlsDir, "privkey.pem") };
  const candidate = renderProxyCandidate(proxy, upstream?.host, {
    listen,
    pageDir: outDir,
    httpsListen,
    acmeWebroot: join(outDir, "acme"),
    certificateFiles,
  });

  const siteFile = join(outDir, "site.conf");
  const pageFile = join(outDir, OFFLINE_PAGE_FILE);
  const confFile = join(outDir, "nginx.conf");
  const conf = renderStandaloneNginxConf(outDir, siteFile, "--out");
  const files: Record<string, string> = {
    "site.conf": candidate.site,
    [OFFLINE_PAGE_FILE]: candidate.page,
    "nginx.conf": conf,
  };
  let https: HttpsTrial | undefined;
  if (candidate.tlsSite !== undefined && proxy.tls.mode !== "none") {
    const httpsSiteFile = join(outDir, HTTPS_SITE_FILE);
    const httpsConfFile = join(outDir, HTTPS_CONF_FILE);
    files[HTTPS_SITE_FILE] = candidate.tlsSite;
    files[HTTPS_CONF_FILE] = renderStandaloneNginxConf(outDir, httpsSiteFile, "--out");
    https = {
      tlsMode: proxy.tls.mode,
      siteFile: httpsSiteFile,
      confFile: httpsConfFile,
      listen: httpsListen,
      chainFile: certificateFiles.chain,
      keyFile: certificateFiles.key,
      runCommand: `nginx -p ${outDir} -c ${httpsConfFile} -e ${join(outDir, "error.log")}`,
    };
  }
  if (existsSync(outDir) && options.force !== true) refuseForeignFiles(outDir, files);
  makeOutDirectory(outDir);
  // World-readable: started as root, nginx's workers run as nobody and must read the page.
  mkdirSync(join(outDir, "temp"), { recursive: true, mode: 0o755 });
  if (https !== undefined) {
    mkdirSync(join(outDir, "acme"), { recursive: true, mode: 0o755 });
    // The key put here is read by nginx's master only.
    mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  }
  for (const [file, text] of Object.entries(files)) writeFileSync(join(outDir, file), text);
  return {
    outDir,
    siteFile,
    pageFile,
    confFile,
    mode,
    domain: proxy.domain,
    listen,
    upstream: upstream && `${upstream.host}:${upstream.port}`,
    runCommand: `nginx -p ${outDir} -c ${confFile} -e ${join(outDir, "error.log")}`,
    ...(https === undefined ? {} : { https }),
    warnings: [
      mode === "offline" ? offlineUntilPassedProblem(proxy.offlineUntil, new Date()) : undefined,
    ].filter((warning): warning is string => warning !== undefined),
  };
}

export function formatProxyConfigResult(result: ProxyConfigResult): string {
  const address = result.listen.includes(":") ? result.listen : `127.0.0.1:${result.listen}`;
  const https = result.https;
  return `${[
    `wrote ${result.siteFile} (${result.mode}${result.upstream ? `, forwarding to ${result.upstream}` : ""}; include it inside http {})`,
    ...(https === undefined
      ? []
      : [
          `wrote ${https.siteFile} (the same site over HTTPS on ${https.listen}, as the proxy host serves it once its certificate exists; include it inside http {} instead)`,
        ]),
    `wrote ${result.pageFile}`,
    `wrote ${result.confFile}`,
    ...(https === undefined ? [] : [`wrote ${https.confFile}`]),
    "run it (in the foreground; Ctrl-C stops it):",
    `  ${result.runCommand}`,
    "try it:",
    `  curl -i -H 'Host: ${result.domain}' http://${address}/`,
    ...(https === undefined ? [] : httpsLines(result.domain, https)),
  ].join("\n")}\n`;
}
