# The controller image. Build: docker build -t reconciler:<version> .
# Direct engine only (no Pulumi CLI, a smaller image): docker build --build-arg WITH_PULUMI=false -t reconciler:<version>-direct .
ARG WITH_PULUMI=true

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so a source change does not download the packages again.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Model/Model.csproj src/Model/
COPY src/LocalCloud/LocalCloud.csproj src/LocalCloud/
COPY src/Controller/Controller.csproj src/Controller/
RUN dotnet restore src/Controller/Controller.csproj
COPY src/ src/
COPY samples/specs/ samples/specs/
COPY schemas/ schemas/
COPY aws-models/ aws-models/
RUN dotnet publish src/Controller/Controller.csproj -c Release --no-restore -o /out

# The Pulumi engine runs the `pulumi` CLI with the YAML language host and the AWS provider, pinned here (the CLI at the
# version whose contract pulumi-cli/ records, the provider at the version of schemas/pulumi-aws) and found on
# PATH, so nothing is downloaded when a stack runs (the root file system is read-only on ECS).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS pulumi
ARG PULUMI_VERSION=3.259.0
ARG PULUMI_YAML_VERSION=1.10.0
ARG PULUMI_AWS_VERSION=7.48.0
RUN mkdir -p /opt/pulumi/bin /tmp/pulumi \
 && curl -fsSL "https://get.pulumi.com/releases/sdk/pulumi-v${PULUMI_VERSION}-linux-x64.tar.gz" | tar -xz -C /tmp/pulumi \
 && cp /tmp/pulumi/pulumi/pulumi /opt/pulumi/bin/ \
 && curl -fsSL "https://github.com/pulumi/pulumi-yaml/releases/download/v${PULUMI_YAML_VERSION}/pulumi-language-yaml-v${PULUMI_YAML_VERSION}-linux-amd64.tar.gz" \
    | tar -xz -C /opt/pulumi/bin pulumi-language-yaml \
 && curl -fsSL "https://github.com/pulumi/pulumi-aws/releases/download/v${PULUMI_AWS_VERSION}/pulumi-resource-aws-v${PULUMI_AWS_VERSION}-linux-amd64.tar.gz" \
    | tar -xz -C /opt/pulumi/bin pulumi-resource-aws \
 && /opt/pulumi/bin/pulumi version

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl for the container health check (GET /healthz on loopback).
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 reconciler && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /tmp reconciler
WORKDIR /app
COPY --from=build /out .
# The only writable place on ECS is the task's scratch volume on /tmp (see charts-or-ecs/reconciler.yaml).
ENV HOME=/tmp PULUMI_HOME=/tmp/.pulumi

FROM runtime AS runtime-pulumi-false

FROM runtime AS runtime-pulumi-true
COPY --from=pulumi /opt/pulumi/bin/ /opt/pulumi/bin/
ENV PATH=/opt/pulumi/bin:$PATH PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true

FROM runtime-pulumi-${WITH_PULUMI}
USER 10001:10001
# ECS stops a task with SIGTERM; `run` then drains in-flight reconciles (30 s at most) and releases its leases.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["curl", "-fsS", "http://127.0.0.1:8081/healthz"]
ENTRYPOINT ["dotnet", "reconciler.dll"]
CMD ["run"]
