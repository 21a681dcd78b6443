# The controller image. Build: docker build -t reconciler .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Controller/Controller.csproj -c Release -o /out

# The direct engine (the only one so far) calls the AWS APIs itself: the image needs no Pulumi CLI. The builds
# install the CLI version each spec pins, inside CodeBuild.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl for the task definition's container health check (GET /healthz).
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out .
RUN useradd --uid 10001 reconciler
USER 10001
EXPOSE 8080
ENTRYPOINT ["dotnet", "reconciler.dll"]
CMD ["run"]
