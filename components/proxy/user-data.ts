/**
 * Cloud-init user data that bootstraps a managed proxy host: nginx, the offline page and an
 * offline site until the first apply. It takes no argument on purpose: nova replaces a server
 * whose user data changes, so mode, target, domain and page never enter it; they arrive through
 * the apply command, and so does the apply script itself (apply-input.ts): in user data a fix
 * to the script would never reach a running host.
 */
import { stringify } from "yaml";
import { DEFAULT_PROXY } from "../../config/defaults";
import { APPLY_SCRIPT_NAME } from "./apply-input";
import { PROXY_INCLUDE_FILE, PROXY_PAGE_DIR, PROXY_SITE_FILE } from "./host-layout";
import { OFFLINE_PAGE_FILE, renderOfflineSite } from "./nginx-site";
import { renderOfflinePage } from "./offline-page";

export function renderProxyHostUserData(): string {
  const config = {
    package_update: true,
    // certbot for HTTPS (proxy.tls acme). A host booted before this line got none: the apply
    // script installs it there, since a change of user data never reaches a running server.
    packages: ["nginx", "certbot"],
    write_files: [
      {
        path: `${PROXY_PAGE_DIR}/${OFFLINE_PAGE_FILE}`,
        owner: "root:root",
        permissions: "0644",
        content: renderOfflinePage(),
      },
      {
        path: PROXY_SITE_FILE,
        owner: "root:root",
        permissions: "0644",
        content: renderOfflineSite({
          mode: "offline",
          domain: DEFAULT_PROXY.domain,
          pageDir: PROXY_PAGE_DIR,
        }),
      },
      {
        path: PROXY_INCLUDE_FILE,
        owner: "root:root",
        permissions: "0644",
        content: `# The proxy's site; switched by ${APPLY_SCRIPT_NAME} over SSH.\ninclude ${PROXY_SITE_FILE};\n`,
      },
    ],
    runcmd: [
      // The proxy's site must be the only one on port 80, so it answers every Host name.
      ["rm", "-f", "/etc/nginx/sites-enabled/default"],
      ["systemctl", "enable", "nginx"],
      ["systemctl", "reload-or-restart", "nginx"],
    ],
  };
  return `#cloud-config\n${stringify(config, { lineWidth: 0 })}`;
}
