#!/usr/bin/env bash
# The one command that runs every test on a fresh machine of this kind: it builds the solution, starts
# the real services the integration tests use (PostgreSQL and RabbitMQ on 127.0.0.1, Chromium for the browser
# tests, strace for the outgoing-connection test), runs the whole suite and ends
# with a plain "N passed, N failed, N skipped" line. With CI=true a missing service fails its tests.
set -euo pipefail
cd "$(dirname "$0")/.."

results="${WORKFLOW_TEST_RESULTS:-TestResults}"
rm -rf "$results"
mkdir -p "$results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

stop_services() {
  deploy/postgres.sh stop >&2 || true
  deploy/rabbitmq.sh stop >&2 || true
}
trap stop_services EXIT

# Not fatal here when a service cannot start: its tests then fail (CI=true) or skip (elsewhere) and say why.
echo "== starting PostgreSQL for the integration tests" >&2
if WORKFLOW_TEST_POSTGRES="$(deploy/postgres.sh start | tail -n 1)"; then
  export WORKFLOW_TEST_POSTGRES
else
  echo "!! PostgreSQL could not be started; its tests will report it" >&2
fi

echo "== starting RabbitMQ for the integration tests" >&2
if WORKFLOW_TEST_RABBITMQ="$(deploy/rabbitmq.sh start | tail -n 1)"; then
  export WORKFLOW_TEST_RABBITMQ
else
  echo "!! RabbitMQ could not be started; its tests will report it" >&2
fi

echo "== Chromium for the browser tests" >&2
if WORKFLOW_TEST_CHROMIUM="$(deploy/chromium.sh | tail -n 1)"; then
  export WORKFLOW_TEST_CHROMIUM
else
  echo "!! Chromium could not be installed; the browser tests will report it" >&2
fi
# Screenshots the browser tests take land beside the test results.
export WORKFLOW_TEST_SCREENSHOTS="$(cd "$results" && pwd)/screenshots"

echo "== strace for the outgoing-connection test" >&2
if WORKFLOW_TEST_STRACE="$(deploy/strace.sh | tail -n 1)"; then
  export WORKFLOW_TEST_STRACE
else
  echo "!! strace could not be installed; the outgoing-connection test will report it" >&2
fi

# The tests do not call the tool (they generate scripts in-process), so a failed restore is said, not fatal.
echo "== restoring the local .NET tools (dotnet-ef, for deploy/new-migration.sh)" >&2
dotnet tool restore || echo "!! dotnet tool restore failed; deploy/new-migration.sh will need it" >&2

echo "== building" >&2
dotnet build Workflow.slnx -c Release -warnaserror -v quiet -nologo

echo "== testing" >&2
status=0
dotnet test Workflow.slnx -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" || status=$?

# Stop the services now (the trap covers early exits) so the summary below is the last line printed.
stop_services
trap - EXIT

trx="$(find "$results" -name '*.trx' | head -n 1)"
if [ -z "$trx" ]; then
  echo "no test results were written" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

counter() { sed -n "s/.*<Counters [^>]*\b$1=\"\([0-9]*\)\".*/\1/p" "$trx" | head -n 1; }
total=$(counter total); executed=$(counter executed); passed=$(counter passed); failed=$(counter failed)
skipped=$(( total - executed ))
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then
  failed=1
fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped} skipped"
exit "$status"
