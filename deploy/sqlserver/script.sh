#!/usr/bin/env bash
# Regenerates deploy/sqlserver/schema.sql, the idempotent script of every SQL Server migration (safe to run on
# an empty database or on one at any earlier migration). A test fails when it is older than the migrations.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
# With --no-build the caller has just built Workflow.Persistence; otherwise build it (a fresh clone has no restore output).
[ "${1:-}" = "--no-build" ] || dotnet build Workflow.Persistence -v quiet -nologo
dotnet ef migrations script --idempotent --project Workflow.Persistence --no-build \
  --context SqlServerWorkflowDbContext --output deploy/sqlserver/schema.sql
echo "deploy/sqlserver/schema.sql regenerated" >&2
