#!/usr/bin/env bash
# Adds one schema change to all three databases at once: change the model (Workflow.Persistence), then run
#   bash deploy/new-migration.sh NAME
# It generates migration NAME with the pinned dotnet-ef tool for SQLite, PostgreSQL and SQL Server
# (Workflow.Persistence/Migrations/<Provider>) and regenerates the idempotent SQL Server script in
# deploy/sqlserver/schema.sql, which the tests parse and rule-check. No database is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

name="${1:-}"
if [[ ! "$name" =~ ^[A-Z][A-Za-z0-9]*$ ]]; then
  echo "usage: deploy/new-migration.sh NAME   (NAME in PascalCase, e.g. AddReportArchive)" >&2
  exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null

# The tool reads the project's restore output and assembly; one build serves the three runs.
dotnet build Workflow.Persistence -v quiet -nologo

for provider in Sqlite PostgreSql SqlServer; do
  echo "== $provider: migration $name" >&2
  dotnet ef migrations add "$name" --project Workflow.Persistence --no-build \
    --context "${provider}WorkflowDbContext" \
    --output-dir "Migrations/$provider"
done

dotnet build Workflow.Persistence -v quiet -nologo
bash deploy/sqlserver/script.sh --no-build
