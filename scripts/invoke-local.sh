#!/bin/sh
# Runs the real Lambda handler locally (bundled by serverless-esbuild, as deployed) on a sample event, with the
# AWS credentials of this shell (AWS_PROFILE, SSO, keys). Bounded: osls hangs when a handler cannot be loaded.
#   npm run invoke:local                               # events/manual.json (dry run: nothing published)
#   npm run invoke:local -- events/manual-regions.json
#   npm run invoke:local -- events/scheduled.json --param="regions=us-east-1"
# localInvoke=true: the function's Refs to the stack's topic and table stay unset (serverless.yml, custom.stackRefs).
set -eu
event="${1:-events/manual.json}"
if [ "$#" -gt 0 ]; then shift; fi
set -- serverless invoke local -f audit -p "$event" --param="localInvoke=true" "$@"
limit="${INVOKE_LOCAL_TIMEOUT:-120}"
if command -v timeout >/dev/null 2>&1; then
  exec timeout "$limit" "$@"
elif command -v gtimeout >/dev/null 2>&1; then
  exec gtimeout "$limit" "$@"
fi
echo "invoke-local: no timeout(1) found (coreutils); running unbounded, stop with Ctrl-C" >&2
exec "$@"
