/**
 * Nothing from config can inject nginx directives: random values, dangerous characters
 * included, go into every parameter of both sites. Each accepted value must render a site the
 * real `nginx -t` accepts with exactly the directives written out here; each rejected one
 * must throw an error naming the parameter and what it allows.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderOfflineSite, renderOnlineSite } from "../../components/proxy/nginx-site";
import { renderOfflinePage } from "../../components/proxy/offline-page";
import { ProxySiteError } from "../../components/proxy/site-params";
import { makeTempDir, NGINX_BINARY, renderNginxConf } from "../../harness/nginx";

const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const CASES_PER_PARAMETER = 60;

/** mulberry32: a seeded generator, so a failing case reproduces with FUZZ_SEED. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const DANGEROUS = [
  ";",
  "{",
  "}",
  '"',
  "'",
  "\n",
  "\r",
  " ",
  "\t",
  "$",
  "#",
  "\\",
  "*",
  "~",
  "^",
  "(",
  ")",
  "`",
  "\0",
];
const SAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".split("");

function word(min: number, max: number, alphabet: string[] = SAFE): string {
  const length = min + Math.floor(random() * (max - min + 1));
  return Array.from({ length }, () => pick(alphabet)).join("");
}

/** Mostly plausible values, often broken by one dangerous or out-of-place character. */
function mutate(value: string): string {
  if (random() < 0.5) return value;
  const at = Math.floor(random() * (value.length + 1));
  const insert = random() < 0.8 ? pick(DANGEROUS) : pick([".", "-", ":", "/", "_", ".."]);
  return value.slice(0, at) + insert + value.slice(at);
}

const hostLike = () =>
  Array.from({ length: 1 + Math.floor(random() * 3) }, () => word(1, 8, [...SAFE, "-"])).join(".");
const ipLike = () => Array.from({ length: 4 }, () => String(Math.floor(random() * 300))).join(".");

const generators: Record<string, () => unknown> = {
  domain: () => mutate(hostLike()),
  listen: () =>
    mutate(
      random() < 0.5 ? String(Math.floor(random() * 70000)) : `${ipLike()}:${Math.floor(random() * 70000)}`,
    ),
  "upstream host": () => mutate(random() < 0.5 ? ipLike() : hostLike()),
  "upstream port": () => pick([Math.floor(random() * 70000) - 100, random() * 1000, Number.NaN, 8080]),
  "offline page directory": () =>
    mutate(
      `/${Array.from({ length: Math.floor(random() * 4) }, () => word(1, 6, [...SAFE, ".", "_", "-"])).join("/")}`,
    ),
};

/**
 * Each site's directives, written out: every accepted value must render exactly these lines
 * (directive name, then its ";", "{" and "}"), whatever it holds. "#" is a comment line.
 */
const ONLINE_SHAPE = [
  "# ;",
  "# ",
  "map {",
  "default ;",
  "'' ;",
  "} }",
  " ",
  "upstream {",
  "server ;",
  "} }",
  " ",
  "server {",
  "listen ;",
  "server_name ;",
  " ",
  "# ",
  "client_max_body_size ;",
  "proxy_request_buffering ;",
  " ",
  "location {",
  "proxy_pass ;",
  "proxy_http_version ;",
  "proxy_set_header ;",
  "proxy_set_header ;",
  "proxy_set_header ;",
  "proxy_set_header ;",
  "proxy_set_header ;",
  "proxy_set_header ;",
  "proxy_set_header ;",
  "# ",
  "proxy_connect_timeout ;",
  "proxy_read_timeout ;",
  "proxy_send_timeout ;",
  "send_timeout ;",
  "} }",
  "} }",
  " ",
];
const OFFLINE_SHAPE = [
  "# ;",
  "# ",
  "server {",
  "listen ;",
  "server_name ;",
  " ",
  "# ",
  "add_header ;",
  "add_header ;",
  " ",
  "error_page ;",
  "error_page ;",
  " ",
  "location {",
  "return ;",
  "} }",
  " ",
  "location {",
  "internal; ;",
  "root ;",
  "} }",
  "} }",
  " ",
];

interface Case {
  parameter: string;
  value: unknown;
  site: string;
}

function render(parameter: string, value: unknown): string {
  const listen = parameter === "listen" ? (value as string) : "127.0.0.1:8080";
  const domain = parameter === "domain" ? (value as string) : "jetstream.lappsgrid.org";
  if (parameter === "offline page directory") {
    return renderOfflineSite({ mode: "offline", domain, listen, pageDir: value as string });
  }
  return renderOnlineSite({
    mode: "online",
    domain,
    listen,
    upstream: {
      host: parameter === "upstream host" ? (value as string) : "10.0.0.5",
      port: parameter === "upstream port" ? (value as number) : 8080,
    },
  });
}

/** Each line's directive name and its count of `;`, `{` and `}`: the site's shape, values aside. */
function shape(site: string): string[] {
  return site.split("\n").map((line) => {
    const name = line.trim().split(/\s+/)[0] ?? "";
    const marks = line.replace(/[^;{}]/g, "");
    return `${line.startsWith("#") ? "#" : name} ${marks}`;
  });
}

const accepted: Case[] = [];
const rejected: { parameter: string; value: unknown; error: unknown }[] = [];
for (const [parameter, next] of Object.entries(generators)) {
  for (let i = 0; i < CASES_PER_PARAMETER; i++) {
    const value = next();
    try {
      accepted.push({ parameter, value, site: render(parameter, value) });
    } catch (error) {
      rejected.push({ parameter, value, error });
    }
  }
}

let dir: string;
beforeAll(() => {
  dir = makeTempDir("fuzz");
  mkdirSync(join(dir, "temp"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test(`fuzzing (seed ${SEED}) both accepts and rejects values for every parameter`, () => {
  for (const parameter of Object.keys(generators)) {
    expect(accepted.filter((c) => c.parameter === parameter).length).toBeGreaterThan(3);
    expect(rejected.filter((c) => c.parameter === parameter).length).toBeGreaterThan(3);
  }
});

test("every rejected value throws an error naming the parameter and what is allowed", () => {
  for (const { parameter, value, error } of rejected) {
    expect(error).toBeInstanceOf(ProxySiteError);
    const message = (error as ProxySiteError).message;
    expect((error as ProxySiteError).parameter).toBe(parameter);
    expect(message.startsWith(`${parameter}: ${JSON.stringify(value)} is not allowed; allowed: `)).toBe(true);
  }
});

test("no accepted value carries a character that could end a directive or open a block", () => {
  for (const { value } of accepted) {
    expect(String(value)).toMatch(/^[A-Za-z0-9.:/_-]+$/);
  }
});

test("every accepted value renders the site's directives written out above, no more", () => {
  for (const { parameter, site } of accepted) {
    expect(shape(site)).toEqual(parameter === "offline page directory" ? OFFLINE_SHAPE : ONLINE_SHAPE);
  }
});

test("every accepted value renders a site the real nginx -t accepts", () => {
  const siteFile = join(dir, "site.conf");
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, renderNginxConf(dir, siteFile));
  const passed = new Set<string>();
  for (const { parameter, value, site } of accepted) {
    writeFileSync(siteFile, site);
    const result = spawnSync(
      NGINX_BINARY,
      ["-t", "-q", "-p", dir, "-c", conf, "-e", join(dir, "error.log")],
      {
        encoding: "utf8",
      },
    );
    if (result.error) throw result.error;
    // nginx -t resolves upstream names and binds listen addresses. A name this sandbox cannot
    // resolve, an address it does not have, or a low port without root are the machine's
    // limits, not the site's; nothing else may fail.
    const unresolved = `host not found in upstream "${String(value)}:8080"`;
    if (parameter === "upstream host" && result.stderr.includes(unresolved)) continue;
    const unbindable =
      /bind\(\) to [0-9.:]+ failed \((99: Cannot assign requested address|13: Permission denied)\)/;
    if (parameter === "listen" && unbindable.test(result.stderr)) continue;
    expect({ value, status: result.status, stderr: result.stderr }).toEqual({ value, status: 0, stderr: "" });
    passed.add(parameter);
  }
  expect([...passed].sort()).toEqual(Object.keys(generators).sort());
});

test("the offline page escapes any title and message", () => {
  for (let i = 0; i < 200; i++) {
    const title = word(0, 20, [...SAFE, "<", ">", "&", '"', "'", " ", "\n"]);
    const message = word(0, 40, [...SAFE, "<", ">", "&", '"', "'", " ", "\n"]);
    const page = renderOfflinePage({ title, message });
    const body = page.slice(page.indexOf("<body>"));
    // The escaping written out here, character by character, not taken from the product.
    const entities: Record<string, string> = {
      "&": "&amp;",
      "<": "&lt;",
      ">": "&gt;",
      '"': "&quot;",
      "'": "&#39;",
      "\n": "<br>",
    };
    const expected = [...message].map((character) => entities[character] ?? character).join("");
    expect(body).toContain(`<p>${expected}</p>`);
    const text = page.replace(/<\/?(!DOCTYPE html|html[^>]*|head|meta[^>]*|title|style|body|h1|p|br)>/g, "");
    expect(text).not.toMatch(/[<>]/);
  }
});
