# The controller image. Build: docker build -t reconciler .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Controller/Controller.csproj -c Release -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# The Pulumi engine drives the pulumi CLI; pin it with the same version the specs default to.
ARG PULUMI_VERSION=3.140.0
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates git \
    && curl -fsSL https://get.pulumi.com | sh -s -- --version ${PULUMI_VERSION} \
    && mv /root/.pulumi/bin/* /usr/local/bin/ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out .
RUN useradd --uid 10001 reconciler
USER 10001
EXPOSE 8080
ENTRYPOINT ["dotnet", "reconciler.dll"]
CMD ["run"]
