#!/usr/bin/env bash
# Is the commit this run would deploy still the head of main? A re-run keeps its original
# GITHUB_SHA (and passes the environment's protection rules again), so re-running an old deploy
# would put an old commit back on the cloud. Writes current=true|false to $GITHUB_OUTPUT; when
# false, a notice says why the deploy is skipped and what applies the newer commit.
set -euo pipefail
head=$(gh api "repos/${GITHUB_REPOSITORY}/commits/main" --jq .sha)
if [ "$head" = "$GITHUB_SHA" ]; then
  echo "current=true" >>"$GITHUB_OUTPUT"
  exit 0
fi
echo "::notice title=Deploy skipped: not the head of main::this run is at ${GITHUB_SHA}, main is at ${head}; the deploy of ${head} applies the newer commit. To apply main again, run the deploy workflow by hand (command up) instead of re-running an old run."
echo "current=false" >>"$GITHUB_OUTPUT"
