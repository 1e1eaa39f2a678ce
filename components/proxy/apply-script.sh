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
#   #== tls-site                 with HTTPS: the site's form with its HTTPS server, line by line
#   #== acme                     with ACME: domain, email (absent: an account without a contact),
#                                directory, webroot, chain, key
#   #== tls-files                with the stack's own certificate: where its chain and key go
#   #== tls-chain                that certificate chain (PEM), line by line
#   #== tls-key                  its private key (PEM), line by line; written readable by root only
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
# HTTPS: with a tls-site, the site goes live in that form when its certificate (acme's chain and
# key) exists, else in the plain form, which serves HTTP and answers ACME challenges. The
# HTTPS form and the acme settings are kept beside the live site (site.conf.https,
# site.conf.acme). With acme and no certificate yet, certbot (installed if missing) obtains one
# through the live site's challenge location; its deploy hook (this script, --renewed) makes
# the HTTPS form live with the same test-reload-wait-or-restore as any switch, and runs again
# on every renewal by certbot's timer. A failed issuance or renewal changes nothing that is
# served, and is one line in the TLS log; so is every issuance and renewal.
#
# Arguments: none (apply stdin's candidate); --renewed (certbot's deploy hook); --renew [certbot
# options] (what certbot's twice-daily timer runs on the proxy host, through the drop-in this
# script writes: the first certificate if it is still missing, else `certbot renew`, and a log
# line when that fails); --obtain (try the first certificate now); --status (its expiry date).
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
#   LAPPSGRID_PROXY_CERTBOT       certbot command and its options   (certbot)
#   LAPPSGRID_PROXY_TLS_LOG       the TLS log                       (/var/log/lappsgrid-proxy-tls.log)
#   LAPPSGRID_PROXY_SYSTEMD_DIR   where the certbot.service drop-in goes; written when systemd
#                                 runs the host or this is set      (/etc/systemd/system)
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
read -r -a certbot <<<"${LAPPSGRID_PROXY_CERTBOT:-certbot}"
tls_log=${LAPPSGRID_PROXY_TLS_LOG:-/var/log/lappsgrid-proxy-tls.log}
systemd_dir=${LAPPSGRID_PROXY_SYSTEMD_DIR:-/etc/systemd/system}
https_site=$site.https
acme_file=$site.acme
self=$(readlink -f "$0")

fail() {
  printf 'lappsgrid-proxy-apply: %s\n' "$*" >&2
  exit 1
}

action=apply
case ${1:-} in
"") ;;
--renewed | --renew | --obtain | --status) action=${1#--} && shift ;;
*) fail "unknown argument '$1'; allowed: none (apply the candidate on stdin), --renewed, --renew, --obtain or --status" ;;
esac

# A line in the TLS log, also printed: what an operator greps for when HTTPS is not there.
tls_note() {
  mkdir -p "$(dirname "$tls_log")"
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$tls_log"
  printf 'lappsgrid-proxy-apply: %s\n' "$*"
}

declare -A acme=() tls_files=()
# The kept acme settings, for the hooks and --obtain.
read_acme_file() {
  local key value
  [ -r "$acme_file" ] || return 1
  while read -r key value; do acme[$key]=$value; done <"$acme_file"
}

certificate_present() {
  [ -s "${acme[chain]:-${tls_files[chain]:-}}" ] && [ -s "${acme[key]:-${tls_files[key]:-}}" ]
}

expiry() {
  openssl x509 -noout -enddate -in "${acme[chain]}" 2>/dev/null | sed 's/^notAfter=//'
}

if [ "$action" = status ]; then
  read_acme_file || {
    echo "lappsgrid-proxy-apply: no ACME certificate configured ($acme_file is absent)"
    exit 0
  }
  if certificate_present; then
    echo "lappsgrid-proxy-apply: certificate for ${acme[domain]} expires $(expiry) (${acme[chain]})"
  else
    echo "lappsgrid-proxy-apply: no certificate for ${acme[domain]} yet; plain HTTP serves; see $tls_log"
  fi
  exit 0
fi

mkdir -p "$(dirname "$site")" "$page_dir"

# One switch at a time: two overlapping runs would restore each other's files. certbot's hooks,
# started by the apply that holds the lock, run under it.
if [ -z "${LAPPSGRID_PROXY_LOCK_HELD:-}" ]; then
  exec 9>"$site.lock"
  flock -w 120 9 || fail "another apply still holds $site.lock after 120 s"
fi

trap 'rm -f "$site.candidate" "$page.candidate" "$site.tls-candidate" "$site.tls-chain" "$site.tls-key"' EXIT
: >"$site.candidate"
: >"$page.candidate"
: >"$site.tls-candidate"
: >"$site.tls-chain"
(
  umask 077
  : >"$site.tls-key"
)

# The switch: the candidate is renamed over the live site (and page, when given), tested,
# reloaded and waited for; on any failure the previous files come back. Returns 1 then.
go_live() {
  local candidate=$1 page_candidate=${2:-} test_output reload_output master old_workers waited
  rm -f "$site.previous" "$page.previous"
  if [ -e "$site" ]; then cp -p "$site" "$site.previous"; fi
  if [ -n "$page_candidate" ] && [ -e "$page" ]; then cp -p "$page" "$page.previous"; fi

  restore() {
    if [ -e "$site.previous" ]; then mv -f "$site.previous" "$site"; else rm -f "$site"; fi
    if [ -n "$page_candidate" ]; then
      if [ -e "$page.previous" ]; then mv -f "$page.previous" "$page"; else rm -f "$page"; fi
    fi
  }

  if [ -n "$page_candidate" ]; then mv -f "$page_candidate" "$page"; fi
  mv -f "$candidate" "$site"

  if ! test_output=$("${nginx[@]}" -t 2>&1); then
    restore
    printf '%s\n' "$test_output" >&2
    printf 'lappsgrid-proxy-apply: %s\n' "nginx -t rejected the candidate; the previous site is back and still serving" >&2
    return 1
  fi

  master=$(cat "$pid_file" 2>/dev/null || true)
  old_workers=$(if [ -n "$master" ]; then pgrep -P "$master" | sort; fi || true)

  if ! reload_output=$("${nginx[@]}" -s reload 2>&1); then
    restore
    printf '%s\n' "$reload_output" >&2
    printf 'lappsgrid-proxy-apply: %s\n' "nginx -s reload failed; the previous site is back" >&2
    return 1
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
      printf 'lappsgrid-proxy-apply: %s\n' "nginx did not take the candidate within $reload_timeout s (its error log says why); the previous site is back" >&2
      return 1
    fi
    sleep 0.05
    waited=$((waited + 1))
  done

  rm -f "$site.previous" "$page.previous"
}

# certbot's deploy hook, after an issuance or a renewal: the HTTPS form goes live (the first
# time) or is reloaded with the new certificate, through the same switch.
if [ "$action" = renewed ]; then
  read_acme_file || fail "$acme_file is absent: this host's site has no ACME settings"
  source_site=$site
  [ -s "$https_site" ] && source_site=$https_site
  cp "$source_site" "$site.candidate"
  if ! go_live "$site.candidate"; then
    tls_note "the certificate for ${acme[domain]} (expires $(expiry)) could not be made live; the site served before keeps serving"
    exit 1
  fi
  tls_note "certificate for ${acme[domain]} is live (expires $(expiry)); nginx reloaded"
  exit 0
fi

# Obtains the site's first certificate with certbot's webroot plugin through the live site.
# certbot keeps these options (and the hooks) for its renewals.
obtain_certificate() {
  local output reason
  if ! command -v "${certbot[0]}" >/dev/null; then
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q certbot >/dev/null 2>&1; then
      tls_note "no certificate for ${acme[domain]}: certbot is not installed and apt-get install certbot failed; plain HTTP keeps serving"
      return 1
    fi
  fi
  mkdir -p "${acme[webroot]}"
  # Without a contact, Let's Encrypt writes to nobody about expiry; the plan warned of it.
  local contact=(--register-unsafely-without-email)
  if [ -n "${acme[email]:-}" ]; then contact=(--email "${acme[email]}"); fi
  if ! output=$(LAPPSGRID_PROXY_LOCK_HELD=1 "${certbot[@]}" certonly --non-interactive --agree-tos \
    --no-eff-email --webroot --webroot-path "${acme[webroot]}" --domain "${acme[domain]}" \
    --cert-name "${acme[domain]}" "${contact[@]}" --server "${acme[directory]}" \
    --keep-until-expiring --deploy-hook "bash $self --renewed" 2>&1); then
    reason=$(printf '%s\n' "$output" | grep -v -e '^ *$' -e '^Saving debug log' -e '^Ask for help' -e '^See the logfile' | tail -n 2 | tr -s '\n' ' ')
    tls_note "no certificate for ${acme[domain]} from ${acme[directory]}: certbot failed: ${reason% }; plain HTTP keeps serving"
    return 1
  fi
  # The deploy hook made the HTTPS form live (certbot keeps its output in certbot's log).
  if ! cmp -s "$site" "$https_site"; then
    tls_note "the certificate for ${acme[domain]} was obtained but the HTTPS site is not live (see the lines above); the site served before keeps serving"
    return 1
  fi
  printf 'lappsgrid-proxy-apply: certificate for %s is live (expires %s); nginx reloaded\n' "${acme[domain]}" "$(expiry)"
}

if [ "$action" = obtain ] || [ "$action" = renew ]; then
  if ! read_acme_file; then
    # The site left ACME behind: certbot's timer still renews whatever else certbot holds.
    [ "$action" = renew ] || fail "$acme_file is absent: this host's site has no ACME settings"
    exec "${certbot[@]}" renew --quiet "$@"
  fi
  if ! certificate_present; then
    obtain_certificate || exit 1
    exit 0
  fi
  if [ "$action" = obtain ]; then
    echo "lappsgrid-proxy-apply: the certificate for ${acme[domain]} exists (expires $(expiry))"
    exit 0
  fi
  # certbot renews only when the certificate is due (30 days before expiry), with the options
  # it kept at issuance; its deploy hook then reloads nginx, under this run's lock.
  if ! output=$(LAPPSGRID_PROXY_LOCK_HELD=1 "${certbot[@]}" renew --quiet "$@" 2>&1); then
    reason=$(printf '%s\n' "$output" | grep -m 1 -e '^Failed to renew' -e 'rror' | tr -s '\n' ' ')
    tls_note "renewal of the certificate for ${acme[domain]} failed (${reason% }); the old one keeps serving (expires $(expiry)); certbot's log says more"
    exit 1
  fi
  exit 0
fi

# certbot's twice-daily service runs --renew instead of a bare `certbot renew`: a missing first
# certificate is tried again, and a failed renewal reaches the TLS log. The timer already spreads
# its start over 12 hours, as the packaged service's --no-random-sleep-on-renew assumes.
install_renewal_dropin() {
  local dropin_dir=$systemd_dir/certbot.service.d
  if [ ! -d /run/systemd/system ] && [ -z "${LAPPSGRID_PROXY_SYSTEMD_DIR:-}" ]; then return 0; fi
  mkdir -p "$dropin_dir"
  printf '%s\n' "# Written by $self: certbot's timer retries the proxy's first certificate and logs failed renewals." \
    "[Service]" "ExecStart=" "ExecStart=$self --renew --no-random-sleep-on-renew" >"$dropin_dir/lappsgrid-proxy.conf.new"
  mv -f "$dropin_dir/lappsgrid-proxy.conf.new" "$dropin_dir/lappsgrid-proxy.conf"
  if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
}

remove_renewal_dropin() {
  local dropin=$systemd_dir/certbot.service.d/lappsgrid-proxy.conf
  [ -e "$dropin" ] || return 0
  rm -f "$dropin"
  if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
}

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
  "#== tls-site") part=tls-site ;;
  "#== acme") part=acme ;;
  "#== tls-files") part=tls-files ;;
  "#== tls-chain") part=tls-chain ;;
  "#== tls-key") part=tls-key ;;
  "#== end")
    complete=yes
    break
    ;;
  *)
    case $part in
    site) printf '%s\n' "$line" >>"$site.candidate" ;;
    page) printf '%s\n' "$line" >>"$page.candidate" ;;
    tls-site) printf '%s\n' "$line" >>"$site.tls-candidate" ;;
    acme)
      case ${line%% *} in
      domain | email | directory | webroot | chain | key) acme[${line%% *}]=${line#* } ;;
      *) fail "unknown acme setting '${line%% *}'; nothing applied" ;;
      esac
      ;;
    tls-files)
      case ${line%% *} in
      chain | key) tls_files[${line%% *}]=${line#* } ;;
      *) fail "unknown certificate file setting '${line%% *}'; nothing applied" ;;
      esac
      ;;
    tls-chain) printf '%s\n' "$line" >>"$site.tls-chain" ;;
    tls-key) printf '%s\n' "$line" >>"$site.tls-key" ;;
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

if [ "${#acme[@]}" -gt 0 ]; then
  for key in domain directory webroot chain key; do
    [ -n "${acme[$key]:-}" ] || fail "the acme settings have no '$key'; nothing applied"
  done
fi

# The stack's own certificate goes in place with the switch and comes back out with it.
swap_certificate_files() {
  local part path
  for part in chain key; do
    path=${tls_files[$part]}
    case $1 in
    in)
      mkdir -p "$(dirname "$path")"
      rm -f "$path.previous"
      if [ -e "$path" ]; then cp -p "$path" "$path.previous"; fi
      mv -f "$site.tls-$part" "$path"
      ;;
    back) if [ -e "$path.previous" ]; then mv -f "$path.previous" "$path"; else rm -f "$path"; fi ;;
    kept) rm -f "$path.previous" ;;
    esac
  done
}
if [ "${#tls_files[@]}" -gt 0 ]; then
  if [ -z "${tls_files[chain]:-}" ] || [ -z "${tls_files[key]:-}" ]; then
    fail "the certificate files need both 'chain' and 'key'; nothing applied"
  fi
  if [ ! -s "$site.tls-chain" ] || [ ! -s "$site.tls-key" ]; then
    fail "the certificate chain or key is empty; nothing applied"
  fi
  swap_certificate_files in
fi

# With a certificate at hand the HTTPS form goes live at once; else the plain form, which the
# first certificate's deploy hook replaces.
live_candidate=$site.candidate
if [ -s "$site.tls-candidate" ] && certificate_present; then live_candidate=$site.tls-candidate; fi
if ! go_live "$live_candidate" "$page.candidate"; then
  if [ "${#tls_files[@]}" -gt 0 ]; then swap_certificate_files back; fi
  exit 1
fi
if [ "${#tls_files[@]}" -gt 0 ]; then swap_certificate_files kept; fi

# Kept for certbot's hooks and --obtain; a site without HTTPS leaves none behind.
if [ -s "$site.tls-candidate" ]; then
  mv -f "$site.tls-candidate" "$https_site"
else
  rm -f "$https_site"
fi
if [ "${#acme[@]}" -gt 0 ]; then
  for key in domain email directory webroot chain key; do
    if [ -n "${acme[$key]:-}" ]; then printf '%s %s\n' "$key" "${acme[$key]}"; fi
  done >"$acme_file.new"
  mv -f "$acme_file.new" "$acme_file"
  install_renewal_dropin
else
  rm -f "$acme_file"
  remove_renewal_dropin
fi
printf 'lappsgrid-proxy-apply: %s is live (nginx reloaded)\n' "$(sed -n 's/^# mode: //p' "$site")"

if [ "${#acme[@]}" -gt 0 ] && [ "$live_candidate" = "$site.candidate" ]; then
  # A failed issuance leaves plain HTTP serving: the switch itself succeeded.
  obtain_certificate || true
fi
