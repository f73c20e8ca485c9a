# SocketPeer gateway image: build with the .NET SDK, run on the ASP.NET Core runtime as a non-root user.
#
#   docker build -t registry.example.com/socketpeer:0.1.0 .
#
# Kubernetes probes the container itself (/healthz, /ready; deploy/k8s), so there is no HEALTHCHECK.
# docs/kubernetes.md has the whole deployment.

# The runtime is pinned to a patch tag so that an image rebuilt from the same commit gets the same
# runtime; bump it (and the SDK, when its feature band moves) deliberately.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0.12

FROM ${SDK_IMAGE} AS build
WORKDIR /src
# Restore from the project files alone, so this layer is reused until a dependency changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Actors/SocketPeer.Actors.csproj src/Actors/
COPY src/Gateway/SocketPeer.Gateway.csproj src/Gateway/
RUN dotnet restore src/Gateway/SocketPeer.Gateway.csproj
COPY src/ src/
RUN dotnet publish src/Gateway/SocketPeer.Gateway.csproj --configuration Release --no-restore \
        --output /app -p:UseAppHost=false

FROM ${RUNTIME_IMAGE}
WORKDIR /app
COPY --from=build /app ./
# HTTP and WebSocket on 8080, Akka.NET remoting on 4053. The base image's ASPNETCORE_HTTP_PORTS is
# cleared so that Kestrel does not warn that ASPNETCORE_URLS overrides it.
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_HTTP_PORTS= \
    SocketPeer__Cluster__Port=4053
EXPOSE 8080 4053
# The image's "app" user, by number, so that Kubernetes' runAsNonRoot can verify it.
USER 1654
ENTRYPOINT ["dotnet", "SocketPeer.Gateway.dll"]
