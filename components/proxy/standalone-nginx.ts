/**
 * A main nginx.conf that runs one rendered site from a single directory as any user: pid, logs
 * and temp paths inside it, in the foreground. For `jetstream proxy-config` and the tests.
 */
import { checkDirectory } from "./site-params";

export function renderStandaloneNginxConf(dir: string, siteFile: string, parameter = "directory"): string {
  const prefix = checkDirectory(dir, parameter);
  const site = checkDirectory(siteFile, parameter);
  return `${[
    "# Runs the rendered site alone: nginx -p DIR -c DIR/nginx.conf -e DIR/error.log",
    "daemon off;",
    "worker_processes 2;",
    `pid ${prefix}/nginx.pid;`,
    `error_log ${prefix}/error.log warn;`,
    "events { worker_connections 1024; }",
    "http {",
    "    access_log off;",
    `    client_body_temp_path ${prefix}/temp/client_body;`,
    `    proxy_temp_path ${prefix}/temp/proxy;`,
    `    fastcgi_temp_path ${prefix}/temp/fastcgi;`,
    `    uwsgi_temp_path ${prefix}/temp/uwsgi;`,
    `    scgi_temp_path ${prefix}/temp/scgi;`,
    "    default_type application/octet-stream;",
    "    types { text/html html; }",
    `    include ${site};`,
    "}",
  ].join("\n")}\n`;
}
