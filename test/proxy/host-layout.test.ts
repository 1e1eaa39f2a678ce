/**
 * The apply script's default paths are the proxy host's layout (host-layout.ts): the user data
 * includes the site file by that name and writes the page there, so a script default that
 * drifted would write a file nginx never reads. proxy-host.test.ts shows the same on a real
 * nginx; this names the drifted path at once.
 */
import { readFileSync } from "node:fs";
import { APPLY_SCRIPT_FILE } from "../../components/proxy/apply-script";
import {
  PROXY_INCLUDE_FILE,
  PROXY_PAGE_DIR,
  PROXY_SITE_FILE,
  PROXY_TLS_LOG,
} from "../../components/proxy/host-layout";

/** The default the script gives `name` in `${name:-default}` or `${name-default}`. */
function scriptDefault(name: string): string {
  const found = readFileSync(APPLY_SCRIPT_FILE, "utf8").match(new RegExp(`\\$\\{${name}:?-([^}]*)\\}`));
  if (found === null) throw new Error(`apply-script.sh has no default for ${name}`);
  return found[1];
}

test("the apply script's defaults are the paths the proxy host's user data lays out", () => {
  expect(PROXY_SITE_FILE).toBe("/etc/nginx/lappsgrid-proxy/site.conf");
  expect(PROXY_PAGE_DIR).toBe("/var/www/lappsgrid-proxy");
  expect(PROXY_INCLUDE_FILE).toBe("/etc/nginx/conf.d/lappsgrid-proxy.conf");
  expect(scriptDefault("LAPPSGRID_PROXY_SITE")).toBe(PROXY_SITE_FILE);
  expect(scriptDefault("LAPPSGRID_PROXY_PAGE_DIR")).toBe(PROXY_PAGE_DIR);
});

test("the apply script's host defaults are Debian's nginx and cloud-init's", () => {
  expect(scriptDefault("LAPPSGRID_PROXY_NGINX")).toBe("nginx");
  expect(scriptDefault("LAPPSGRID_PROXY_PID_FILE")).toBe("/run/nginx.pid");
  expect(scriptDefault("LAPPSGRID_PROXY_BOOT_MARKER")).toBe("/var/lib/cloud/instance/boot-finished");
});

test("the TLS log the README points operators to is the apply script's default", () => {
  expect(PROXY_TLS_LOG).toBe("/var/log/lappsgrid-proxy-tls.log");
  expect(scriptDefault("LAPPSGRID_PROXY_TLS_LOG")).toBe(PROXY_TLS_LOG);
  expect(scriptDefault("LAPPSGRID_PROXY_CERTBOT")).toBe("certbot");
  expect(scriptDefault("LAPPSGRID_PROXY_SYSTEMD_DIR")).toBe("/etc/systemd/system");
});
