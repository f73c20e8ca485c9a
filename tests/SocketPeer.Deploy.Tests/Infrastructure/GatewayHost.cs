using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SocketPeer.Gateway.Hosting;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Deploy.Tests.Infrastructure;

/// <summary>
/// What the real gateway host makes of a pod's environment: it is built (not started) by the same
/// <see cref="SocketPeerApp.Create"/> that <c>Program</c> runs, with the environment turned into
/// configuration the way ASP.NET Core's environment-variable providers do it. Building it binds and
/// validates <see cref="SocketPeerOptions"/> (a bad value throws, as it would stop the pod).
/// </summary>
internal sealed record GatewayHost(
    SocketPeerOptions Options,
    HostOptions Host,
    ForwardedHeadersOptions ForwardedHeaders,
    string? Urls,
    IReadOnlyList<string> Routes)
{
    private static readonly ConcurrentDictionary<(string, int), Lazy<GatewayHost>> Cache = new();

    /// <summary>
    /// The gateway of pod <paramref name="ordinal"/> of a rendering, with the files of the Secrets that
    /// cert-manager Certificates fill where the pod mounts them (<see cref="MountedCertificates"/>).
    /// </summary>
    public static GatewayHost Of(Rendering rendering, int ordinal) =>
        Cache.GetOrAdd((rendering.Kustomization, ordinal), _ => new Lazy<GatewayHost>(() =>
        {
            using var certificates = MountedCertificates.Materialize(rendering, PodEnvironment.Of(rendering, ordinal), out var environment);
            return Build(environment);
        })).Value;

    public static GatewayHost Build(IReadOnlyDictionary<string, string> environment)
    {
        var app = SocketPeerApp.Create([], builder => builder.Configuration.AddInMemoryCollection(AsConfiguration(environment)));
        try
        {
            var routes = ((IEndpointRouteBuilder)app).DataSources
                .SelectMany(source => source.Endpoints)
                .OfType<RouteEndpoint>()
                .Select(endpoint => "/" + endpoint.RoutePattern.RawText?.TrimStart('/'))
                .ToList();
            return new GatewayHost(
                app.Services.GetRequiredService<IOptions<SocketPeerOptions>>().Value,
                app.Services.GetRequiredService<IOptions<HostOptions>>().Value,
                app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value,
                app.Configuration["urls"],
                routes);
        }
        finally
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Environment variables as configuration keys: <c>A__B</c> is <c>A:B</c>, and the host's
    /// <c>DOTNET_</c> and <c>ASPNETCORE_</c> variables also count without their prefix.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string?>> AsConfiguration(IReadOnlyDictionary<string, string> environment)
    {
        foreach (var (name, value) in environment)
        {
            yield return new(name.Replace("__", ":"), value);
            foreach (var prefix in new[] { "DOTNET_", "ASPNETCORE_" })
                if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    yield return new(name[prefix.Length..].Replace("__", ":"), value);
        }
    }

    /// <summary>
    /// Why an environment variable named <c>SocketPeer__…</c> would bind to nothing (the binder
    /// ignores unknown keys silently), or null when it names a settable option of
    /// <see cref="SocketPeerOptions"/>: <c>SocketPeer__Cluster__Port</c>, <c>SocketPeer__AllowedOrigins__0</c>.
    /// </summary>
    public static string? WhyNotAnOption(string variable)
    {
        var segments = variable.Split("__");
        if (!string.Equals(segments[0], SocketPeerOptions.Section, StringComparison.OrdinalIgnoreCase))
            return $"does not start with {SocketPeerOptions.Section}__";
        var type = typeof(SocketPeerOptions);
        var path = SocketPeerOptions.Section;
        foreach (var segment in segments.Skip(1))
        {
            if (IsValue(type))
                return $"{path} is a single value; it has no {segment}";
            if (ElementType(type) is { } element)
            {
                if (!int.TryParse(segment, out var index) || index < 0)
                    return $"{path} is a list: expected an index, not {segment}";
                type = element;
            }
            else
            {
                var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                if (property is null || property.SetMethod is not { IsPublic: true })
                    return $"{path} ({type.Name}) has no settable property {segment}";
                type = property.PropertyType;
            }
            path += ":" + segment;
        }
        if (!IsValue(type))
            return $"{path} is {(ElementType(type) is null ? "a section" : "a list (name its items __0, __1, …)")}, not a value";
        return null;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(List<>) || d == typeof(IList<>) || d == typeof(IReadOnlyList<>) || d == typeof(IEnumerable<>))
            ? type.GetGenericArguments()[0]
            : null;

    private static bool IsValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
            || type == typeof(TimeSpan) || type == typeof(Uri) || type == typeof(DateTimeOffset) || type == typeof(DateTime);
    }
}
