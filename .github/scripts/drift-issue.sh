#!/usr/bin/env bash
# One issue per stack for drift, titled "Drift on stack <stack>": opened (or its body updated)
# while STATUS is 3 (drift found), closed with a comment once STATUS is 0 (no drift).
#   drift-issue.sh REPORT_FILE   with STACK, STATUS, GH_TOKEN and GITHUB_REPOSITORY set
set -euo pipefail
report=$1
title="Drift on stack ${STACK}"
number=$(gh issue list --repo "$GITHUB_REPOSITORY" --state open --search "\"${title}\" in:title" \
  --json number,title --jq "[.[] | select(.title == \"${title}\") | .number][0] // empty")
case "$STATUS" in
  3)
    if [ -n "$number" ]; then
      gh issue edit "$number" --repo "$GITHUB_REPOSITORY" --body-file "$report"
    else
      gh issue create --repo "$GITHUB_REPOSITORY" --title "$title" --body-file "$report"
    fi
    echo "::warning title=${title}::the cloud changed outside Pulumi; see the issue and the step summary"
    ;;
  0)
    if [ -n "$number" ]; then
      gh issue close "$number" --repo "$GITHUB_REPOSITORY" --comment "No drift any more: ${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID:-}"
    fi
    ;;
  *)
    echo "drift-issue.sh: STATUS \"${STATUS}\" is not a drift result; allowed: 0 (no drift), 3 (drift)" >&2
    exit 2
    ;;
esac
