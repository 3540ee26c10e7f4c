# syntax=docker/dockerfile:1
# Watchdog's container image: built with the .NET SDK, run on the ASP.NET Core runtime as a non-root user, with a
# read-only root filesystem in mind (the Helm chart sets one): everything written goes under /var/lib/watchdog.
# Not built on the machines this repository is developed on (no container engine there): see docs/installing.md.
#   docker build -t watchdog:0.1.0 .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so that the layer is reused while only code changes.
COPY Directory.Build.props Directory.Packages.props BannedSymbols.txt ./
COPY src/Watchdog/Watchdog.csproj src/Watchdog/
COPY src/Watchdog.Sandbox/Watchdog.Sandbox.csproj src/Watchdog.Sandbox/
RUN dotnet restore src/Watchdog/Watchdog.csproj
COPY src/ src/
RUN dotnet publish src/Watchdog/Watchdog.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# The chart runs the pod as 10001:10001; the same ids here make `docker run` behave the same.
ARG UID=10001
WORKDIR /app
COPY --from=build /app ./
COPY config/policies/ /etc/watchdog/policies/
COPY config/watchdog.yaml /etc/watchdog/watchdog.yaml
RUN mkdir -p /var/lib/watchdog/reports && chown -R ${UID}:${UID} /var/lib/watchdog
VOLUME ["/var/lib/watchdog"]
ENV DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_gcServer=1 \
    WATCHDOG__HTTP__LISTEN=http://0.0.0.0:8080 \
    WATCHDOG__STORE__PATH=/var/lib/watchdog/watchdog.db \
    WATCHDOG__REPORTS__DIRECTORY=/var/lib/watchdog/reports
USER ${UID}:${UID}
EXPOSE 8080
ENTRYPOINT ["/app/watchdog"]
CMD ["run", "--config", "/etc/watchdog/watchdog.yaml"]
