/** The proxy host's bootstrap, checked by the real cloud-init and a real nginx. */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { APPLY_SCRIPT_PATH } from "../../components/proxy/apply-input";
import { applyScript } from "../../components/proxy/apply-script";
import { PROXY_INCLUDE_FILE, PROXY_PAGE_DIR, PROXY_SITE_FILE } from "../../components/proxy/host-layout";
import { renderProxyHostUserData } from "../../components/proxy/user-data";
import { makeTempDir, NGINX_BINARY, renderNginxConf } from "../../harness/nginx";
import { DEFAULT_OFFLINE_PAGE_HTML, PROXY_HOST_USER_DATA } from "../helpers/proxy-host-user-data";

interface WriteFile {
  path: string;
  content: string;
  permissions: string;
}

const userData = renderProxyHostUserData();
const parsed = parse(userData) as { write_files: WriteFile[]; packages: string[]; runcmd: string[][] };
const fileAt = (path: string) => parsed.write_files.find((file) => file.path === path);

let dir: string;
beforeAll(() => {
  dir = makeTempDir("user-data");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the real cloud-init schema accepts the proxy host's user data", () => {
  const file = join(dir, "user-data.yaml");
  writeFileSync(file, userData);
  // Throws (failing the test) when cloud-init is missing or rejects the file.
  const output = execFileSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
  expect(output).toContain("Valid cloud-config");
});

test("the user data starts with #cloud-config and installs nginx and certbot (for HTTPS, from the first boot)", () => {
  expect(userData.startsWith("#cloud-config\n")).toBe(true);
  expect(parsed.packages).toEqual(["nginx", "certbot"]);
  expect(parsed.runcmd).toEqual([
    ["rm", "-f", "/etc/nginx/sites-enabled/default"],
    ["systemctl", "enable", "nginx"],
    ["systemctl", "reload-or-restart", "nginx"],
  ]);
});

test("the offline page arrives byte for byte; the apply script does not: it comes with each apply", () => {
  // In user data a fix to the script would never reach a running host (ignored, protected).
  expect(parsed.write_files.map((file) => file.path)).toEqual([
    `${PROXY_PAGE_DIR}/offline.html`,
    PROXY_SITE_FILE,
    PROXY_INCLUDE_FILE,
  ]);
  expect(userData).not.toContain(APPLY_SCRIPT_PATH);
  expect(userData).not.toContain(applyScript().split("\n")[1]);
  expect(fileAt(`${PROXY_PAGE_DIR}/offline.html`)).toMatchObject({ content: DEFAULT_OFFLINE_PAGE_HTML });
  expect(fileAt(PROXY_INCLUDE_FILE)?.content).toContain(`include ${PROXY_SITE_FILE};`);
});

test("the user data is exactly the text written out: nothing of mode or target enters it", () => {
  expect(userData).toBe(PROXY_HOST_USER_DATA);
  expect(userData).not.toContain("upstream");
  expect(userData).not.toContain("proxy_pass");
});

test("the initial offline site passes a real nginx -t", () => {
  const site = fileAt(PROXY_SITE_FILE);
  expect(site?.content).toContain("# mode: offline");
  const siteFile = join(dir, "site.conf");
  writeFileSync(siteFile, site?.content ?? "");
  mkdirSync(join(dir, "temp"), { recursive: true });
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, renderNginxConf(dir, siteFile));
  const result = spawnSync(NGINX_BINARY, ["-t", "-p", dir, "-c", conf, "-e", join(dir, "error.log")], {
    encoding: "utf8",
  });
  expect(result.stderr).toContain("test is successful");
  expect(result.status).toBe(0);
});
