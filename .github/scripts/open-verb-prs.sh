#!/usr/bin/env bash
# Warns when a pull request opened by a by-hand verb (branch jetstream/<stack>-<run>) is still open:
# this deploy applies main, which does not have that verb's change, so it undoes it on the cloud.
set -euo pipefail
open=$(gh pr list --repo "$GITHUB_REPOSITORY" --state open --base main --json number,headRefName \
  --jq "[.[] | select(.headRefName | startswith(\"jetstream/${STACK}-\")) | \"#\\(.number)\"] | join(\" \")")
if [ -n "$open" ]; then
  echo "::warning title=Open verb pull request for ${STACK}::${open} holds a change already applied to ${STACK} by hand; this deploy of main undoes it until that pull request is merged."
fi
