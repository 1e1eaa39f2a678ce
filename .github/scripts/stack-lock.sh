#!/usr/bin/env bash
# Runs a Pulumi command that takes the stack's lock on the self-managed state backend (`pulumi
# up`, `jetstream drift`'s refresh). The backend refuses with "the stack is currently locked by
# N lock(s)" before it changes anything, so another try is safe.
#   stack-lock.sh wait COMMAND...  try again every LOCK_RETRY_SECONDS (60) up to LOCK_TRIES (30)
#                                  times: a deploy waits for the run that holds the lock, and
#                                  stops (exit 0, current=false) when, meanwhile, its commit
#                                  (GITHUB_SHA) stopped being the head of main
#   stack-lock.sh skip COMMAND...  exit 0 with a notice and locked=true in $GITHUB_OUTPUT: the
#                                  daily drift check runs again tomorrow
# Any other failure keeps the command's own exit status.
set -uo pipefail
mode=${1:?usage: stack-lock.sh wait|skip COMMAND...}
shift
case "$mode" in
  wait | skip) ;;
  *) echo "stack-lock.sh: mode \"$mode\" is not allowed; allowed: wait, skip" >&2; exit 2 ;;
esac
output=$(mktemp)
tries=0
while true; do
  "$@" 2>&1 | tee "$output"
  status=${PIPESTATUS[0]}
  if [ "$status" -eq 0 ] || ! grep -q "the stack is currently locked by" "$output"; then
    exit "$status"
  fi
  if [ "$mode" = skip ]; then
    # A skipped check is no result: the caller must not read it as "no drift".
    [ -z "${GITHUB_OUTPUT:-}" ] || echo "locked=true" >>"$GITHUB_OUTPUT"
    echo "::notice title=Skipped: stack locked::another run holds the stack's lock (a deploy); nothing was checked. If no run is active, the lock is stale: see the README, Day two."
    exit 0
  fi
  tries=$((tries + 1))
  if [ "$tries" -ge "${LOCK_TRIES:-30}" ]; then
    echo "::error title=Stack still locked::gave up after ${tries} tries; if no other run is active, the lock is stale: see the README, Day two."
    exit "$status"
  fi
  echo "::notice::the stack is locked by another run; trying again in ${LOCK_RETRY_SECONDS:-60} s (try ${tries} of ${LOCK_TRIES:-30})"
  sleep "${LOCK_RETRY_SECONDS:-60}"
  # The run that held the lock may have deployed a newer commit of main meanwhile: applying this
  # one now would put an older stack file back on the cloud. still-head.sh says so and why.
  if [ "$mode" = wait ] && [ -n "${GITHUB_SHA:-}" ]; then
    head_output=$(mktemp)
    GITHUB_OUTPUT="$head_output" "$(dirname "$0")/still-head.sh" || exit $?
    if grep -qx "current=false" "$head_output"; then
      [ -z "${GITHUB_OUTPUT:-}" ] || cat "$head_output" >>"$GITHUB_OUTPUT"
      exit 0
    fi
  fi
done
