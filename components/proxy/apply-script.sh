#!/usr/bin/env bash
# lappsgrid-proxy-apply: switches the proxy host's nginx site (online, offline, another target)
# without dropping a request. Runs on the proxy host as root. The Proxy component's command line
# (components/proxy/apply-input.ts) reads this script from the head of stdin, installs it as
# /usr/local/sbin/lappsgrid-proxy-apply and runs it on the rest of stdin: the candidate.
#
# Stdin, as rendered by components/proxy/apply-input.ts:
#   lappsgrid-proxy-apply 1      first line: the framing version
#   #== site                     the nginx site follows, line by line
#   #== page                     the offline page follows, line by line
#   #== probe                    online only: the target's health check, one "key value" a line:
#                                host, port, path, statuses (like 200-399,401), tries, interval
#   #== end                      nothing is applied unless this line arrives
#
# Health gate: a candidate with a probe goes live only once GET http://HOST:PORT/PATH, sent from
# this host, answers with an accepted status. Up to `tries` tries, `interval` seconds apart, each
# waiting at most LAPPSGRID_PROXY_PROBE_TIMEOUT seconds. If none passes, nothing changes (the
# live site keeps serving) and the script exits 1 with what the last try saw. The probe is bash
# itself (/dev/tcp) and coreutils' timeout: nothing to install on a host this stack does not
# manage, and a managed host's user data cannot gain a package without replacing the server.
# The offline site carries no probe: going offline is never gated.
#
# Steps: the candidate is written next to the live files and the live ones are copied to
# *.previous; the candidate is renamed over the live site and page (atomic), `nginx -t` tests the
# whole configuration with it in place, and `nginx -s reload` lets the old workers finish their
# requests while new ones serve the new site (a restart would refuse connections meanwhile).
# If the test or the reload fails, the previous files are renamed back (nginx kept serving
# them all along) and the script exits 1 with nginx's message. `nginx -s reload` only sends a
# signal; the script returns once the master has started workers on the new site, so "done"
# means served.
#
# Environment (the defaults are the proxy host's; tests point them at a temporary nginx):
#   LAPPSGRID_PROXY_NGINX         nginx command and its options     (nginx)
#   LAPPSGRID_PROXY_SITE          live site file, included in http {} by name, never by a glob
#                                 that would also pick up *.candidate  (/etc/nginx/lappsgrid-proxy/site.conf)
#   LAPPSGRID_PROXY_PAGE_DIR      directory of offline.html         (/var/www/lappsgrid-proxy)
#   LAPPSGRID_PROXY_PID_FILE      nginx's pid file, to see the reload take effect  (/run/nginx.pid)
#   LAPPSGRID_PROXY_BOOT_MARKER   file cloud-init writes once the host is bootstrapped; the first
#                                 apply can arrive while nginx is still being installed. Empty: no
#                                 wait.                             (/var/lib/cloud/instance/boot-finished)
#   LAPPSGRID_PROXY_BOOT_TIMEOUT  seconds to wait for that file     (900)
#   LAPPSGRID_PROXY_RELOAD_TIMEOUT  seconds nginx gets to serve the candidate after the reload  (10)
#   LAPPSGRID_PROXY_PROBE_TIMEOUT   seconds one health-check try may take, connecting included  (5)
set -euo pipefail
umask 022

read -r -a nginx <<<"${LAPPSGRID_PROXY_NGINX:-nginx}"
site=${LAPPSGRID_PROXY_SITE:-/etc/nginx/lappsgrid-proxy/site.conf}
page_dir=${LAPPSGRID_PROXY_PAGE_DIR:-/var/www/lappsgrid-proxy}
page=$page_dir/offline.html
pid_file=${LAPPSGRID_PROXY_PID_FILE:-/run/nginx.pid}
boot_marker=${LAPPSGRID_PROXY_BOOT_MARKER-/var/lib/cloud/instance/boot-finished}
boot_timeout=${LAPPSGRID_PROXY_BOOT_TIMEOUT:-900}
reload_timeout=${LAPPSGRID_PROXY_RELOAD_TIMEOUT:-10}
probe_timeout=${LAPPSGRID_PROXY_PROBE_TIMEOUT:-5}

fail() {
  printf 'lappsgrid-proxy-apply: %s\n' "$*" >&2
  exit 1
}

mkdir -p "$(dirname "$site")" "$page_dir"

# One switch at a time: two overlapping runs would restore each other's files.
exec 9>"$site.lock"
flock -w 120 9 || fail "another apply still holds $site.lock after 120 s"

trap 'rm -f "$site.candidate" "$page.candidate"' EXIT
: >"$site.candidate"
: >"$page.candidate"

IFS= read -r magic || fail "no input on stdin; expected a candidate framed as documented in $0"
[ "$magic" = "lappsgrid-proxy-apply 1" ] || fail "stdin does not start with 'lappsgrid-proxy-apply 1'; nothing applied"
part=""
complete=no
declare -A probe=()
while IFS= read -r line; do
  case $line in
  "#== site") part=site ;;
  "#== page") part=page ;;
  "#== probe") part=probe ;;
  "#== end")
    complete=yes
    break
    ;;
  *)
    case $part in
    site) printf '%s\n' "$line" >>"$site.candidate" ;;
    page) printf '%s\n' "$line" >>"$page.candidate" ;;
    probe)
      case ${line%% *} in
      host | port | path | statuses | tries | interval) probe[${line%% *}]=${line#* } ;;
      *) fail "unknown probe setting '${line%% *}'; nothing applied" ;;
      esac
      ;;
    *) fail "stdin has content before '#== site'; nothing applied" ;;
    esac
    ;;
  esac
done
[ "$complete" = yes ] || fail "stdin ended before '#== end': the candidate is incomplete; nothing applied"
[ -s "$site.candidate" ] || fail "the candidate site is empty; nothing applied"

if [ -n "$boot_marker" ]; then
  waited=0
  until [ -e "$boot_marker" ]; do
    [ "$waited" -lt "$boot_timeout" ] || fail "$boot_marker did not appear within $boot_timeout s: is cloud-init still bootstrapping?"
    sleep 5
    waited=$((waited + 5))
  done
fi

# One GET of the probe's URL; prints the answer's status line, or what went wrong instead.
probe_once() {
  local seen code
  # shellcheck disable=SC2016 # expanded by the inner bash, which gets the values as arguments
  seen=$(timeout "$probe_timeout" bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 3
    printf "GET %s HTTP/1.0\r\nHost: %s:%s\r\nUser-Agent: lappsgrid-proxy-apply\r\nConnection: close\r\n\r\n" "$3" "$1" "$2" >&3
    IFS= read -r status <&3 || { echo "the connection closed without an answer"; exit 0; }
    printf "%s\n" "${status%$'"'"'\r'"'"'}"
  ' probe "${probe[host]}" "${probe[port]}" "${probe[path]}" 2>&1) && code=0 || code=$?
  if [ "$code" -eq 124 ]; then
    echo "no answer within $probe_timeout s"
  elif [ "$code" -ne 0 ]; then
    # bash says "bash: connect: Connection refused" and more; keep the reason alone.
    seen=$(printf '%s\n' "$seen" | tail -n 1)
    echo "${seen##*: }" | tr '[:upper:]' '[:lower:]'
  else
    printf '%s\n' "$seen"
  fi
}

# Whether a status line's code is in a list like "200-399,401".
accepted() {
  local code range
  local -a ranges
  code=$(sed -n 's#^HTTP/[0-9.]* \([0-9][0-9][0-9]\).*#\1#p' <<<"$1")
  [ -n "$code" ] || return 1
  IFS=, read -r -a ranges <<<"${probe[statuses]}"
  for range in "${ranges[@]}"; do
    if [ "$code" -ge "${range%-*}" ] && [ "$code" -le "${range#*-}" ]; then return 0; fi
  done
  return 1
}

if [ "${#probe[@]}" -gt 0 ]; then
  for key in host port path statuses tries interval; do
    [ -n "${probe[$key]:-}" ] || fail "the probe has no '$key'; nothing applied"
  done
  url="http://${probe[host]}:${probe[port]}${probe[path]}"
  try=1
  until seen=$(probe_once) && accepted "$seen"; do
    if [ "$try" -ge "${probe[tries]}" ]; then
      fail "$url failed its health check (tries: ${probe[tries]}, ${probe[interval]} s apart; accepted statuses ${probe[statuses]}); last answer: $seen; the previous site is still serving"
    fi
    sleep "${probe[interval]}"
    try=$((try + 1))
  done
fi

# Copies, not links: the rename below must leave them untouched.
rm -f "$site.previous" "$page.previous"
if [ -e "$site" ]; then cp -p "$site" "$site.previous"; fi
if [ -e "$page" ]; then cp -p "$page" "$page.previous"; fi

restore() {
  if [ -e "$site.previous" ]; then mv -f "$site.previous" "$site"; else rm -f "$site"; fi
  if [ -e "$page.previous" ]; then mv -f "$page.previous" "$page"; else rm -f "$page"; fi
}

mv -f "$page.candidate" "$page"
mv -f "$site.candidate" "$site"

if ! test_output=$("${nginx[@]}" -t 2>&1); then
  restore
  printf '%s\n' "$test_output" >&2
  fail "nginx -t rejected the candidate; the previous site is back and still serving"
fi

master=$(cat "$pid_file" 2>/dev/null || true)
old_workers=$(if [ -n "$master" ]; then pgrep -P "$master" | sort; fi || true)

if ! reload_output=$("${nginx[@]}" -s reload 2>&1); then
  restore
  printf '%s\n' "$reload_output" >&2
  fail "nginx -s reload failed; the previous site is back"
fi

# A master that cannot apply the new configuration (a port taken, say) keeps its old workers
# and only logs why. Served means: new workers run, and every old one has stopped accepting
# (it renames itself "worker process is shutting down" as it closes its listening sockets).
reloaded() {
  local pid
  [ -n "$(comm -13 <(printf '%s\n' "$old_workers") <(pgrep -P "$master" | sort))" ] || return 1
  for pid in $old_workers; do
    if [ -r "/proc/$pid/cmdline" ] && ! grep -qa "shutting down" "/proc/$pid/cmdline" 2>/dev/null; then
      return 1
    fi
  done
}

waited=0
while [ -n "$master" ] && ! reloaded; do
  if [ "$waited" -ge $((reload_timeout * 20)) ]; then
    restore
    fail "nginx did not take the candidate within $reload_timeout s (its error log says why); the previous site is back"
  fi
  sleep 0.05
  waited=$((waited + 1))
done

rm -f "$site.previous" "$page.previous"
printf 'lappsgrid-proxy-apply: %s is live (nginx reloaded)\n' "$(sed -n 's/^# mode: //p' "$site")"
