# syntax=docker/dockerfile:1
# RemediationWorker: build on the .NET SDK image, run on the chiseled .NET runtime (no shell, no package
# manager, non-root user 'app' = UID 1654). The ECS task (deploy/remediation-worker.yaml) runs it with a
# read-only root file system, a writable volume on /app/audit, and the health check
# `/app/remediation-worker health`. Checked by tests/RemediationWorker.Tests/Deploy/DockerfileTests.cs.

# sdk:10.0 carries only the latest SDK feature band (dotnet/dotnet-docker#4597), which global.json (10.0.401,
# rollForward latestFeature) accepts as long as it is 10.0.4xx or later.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the files that decide the packages only, so the layer is cached across source edits.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY eng/ eng/
COPY src/EventPatterns/EventPatterns.csproj src/EventPatterns/
COPY src/RemediationWorker/RemediationWorker.csproj src/RemediationWorker/
# For linux-x64, the task definition's CpuArchitecture X86_64: the publish below precompiles for it. The restore must
# see PublishReadyToRun itself: only then does it fetch the ReadyToRun compiler (Microsoft.NETCore.App.Crossgen2),
# without which the --no-restore publish fails with NETSDK1094 on a machine whose NuGet folder never held it.
RUN dotnet restore src/RemediationWorker/RemediationWorker.csproj -r linux-x64 -p:PublishReadyToRun=true
# The project links the samples' configuration (appsettings.json at the root) for local builds; the publish leaves it
# out: the image carries no configuration, the task reads the operator's file from REMEDIATION_CONFIG.
COPY appsettings.json appsettings.schema.json ./
COPY src/ src/
# ReadyToRun: the worker's and its packages' code precompiled, so a task starts on about half the CPU (a run over the
# samples: 1.0 s to 0.56 s, 1.4 s to 0.9 s of CPU on this project's 2-core machine); it still runs on the image's
# shared .NET runtime (not self-contained), and hot methods are still re-jitted optimized.
RUN dotnet publish src/RemediationWorker/RemediationWorker.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /app/publish --no-restore
# The audit directory (the task mounts a volume there) must exist and belong to the app user.
RUN mkdir -p /app/audit

FROM mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled AS final
WORKDIR /app
# Application files stay owned by root (read-only to the app); only /app/audit is the app user's.
COPY --from=build /app/publish/ /app/
COPY --from=build --chown=1654:1654 /app/audit/ /app/audit/
USER 1654
ENTRYPOINT ["/app/remediation-worker"]
