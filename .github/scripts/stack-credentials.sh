#!/usr/bin/env bash
# Fails when a stack file holds an OpenStack login (openstack:applicationCredentialId/Secret,
# password, token). The provider reads the OS_* variables only as a fallback: a credential in the
# stack file wins over the one CI hands in, defeating the reader/deployer split and rotation.
#   stack-credentials.sh [STACK_FILE...]   (default: every Pulumi.<stack>.yaml here)
set -euo pipefail
[ "$#" -gt 0 ] || set -- Pulumi.*.yaml
found=0
for file in "$@"; do
  [ -e "$file" ] || continue
  while IFS=: read -r line key; do
    echo "::error file=${file},line=${line}::${file}: ${key} is a credential in the stack file, which wins over CI's OS_* secrets; remove it (pulumi config rm ${key} --stack <stack>) and keep it only in the environment's secrets"
    found=1
  done < <(grep -nEo '^[[:space:]]*"?openstack:(applicationCredentialId|applicationCredentialSecret|password|token)"?[[:space:]]*:' "$file" |
    sed -E 's/^([0-9]+):[[:space:]]*"?([^":]+:[^":]+)"?.*$/\1:\2/')
done
exit "$found"
