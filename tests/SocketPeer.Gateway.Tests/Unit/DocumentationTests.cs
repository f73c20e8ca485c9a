using System.Reflection;
using SocketPeer.Gateway.Options;
using SocketPeer.Gateway.Protocol;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>Every refusal a client can get, and every per-address limit, is written down.</summary>
public sealed class DocumentationTests
{
    public static TheoryData<string> ErrorCodes() =>
        new(typeof(ServerErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!));

    [Theory]
    [MemberData(nameof(ErrorCodes))]
    public void Every_server_error_code_is_in_the_protocol_page(string code) =>
        Assert.Contains($"| `{code}` |", Read("docs/protocol.md"));

    [Theory]
    [InlineData("ConnectsPerMinute")]
    [InlineData("ConnectBurst")]
    [InlineData("PairsPerMinute")]
    [InlineData("PairBurst")]
    [InlineData("BusyPerMinute")]
    [InlineData("BusyBurst")]
    [InlineData("IPv6PrefixLength")]
    [InlineData("IPv4PrefixLength")]
    [InlineData("TrustedProxies__0")]
    [InlineData("ManagementUrl")]
    [InlineData("MaxConnections")]
    [InlineData("MemoryLimitPercent")]
    [InlineData("Ice__CredentialsPerMinute")]
    [InlineData("Ice__CredentialBurst")]
    [InlineData("Ice__DefaultStun")]
    public void Every_edge_option_is_in_the_configuration_table_with_its_default(string option)
    {
        var row = Read("README.md").Split('\n').SingleOrDefault(l => l.StartsWith($"| `SocketPeer__{option}`", StringComparison.Ordinal));
        Assert.NotNull(row);
        var defaults = new SocketPeerOptions();
        object? value = option switch
        {
            "TrustedProxies__0" or "ManagementUrl" => null,
            _ when option.StartsWith("Ice__", StringComparison.Ordinal) => typeof(IceOptions).GetProperty(option[5..])!.GetValue(defaults.Ice),
            _ => typeof(SocketPeerOptions).GetProperty(option)!.GetValue(defaults),
        };
        if (value is not null) Assert.Contains($"| `{value}` |", row);
    }

    private static string Read(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SocketPeer.sln")))
                return File.ReadAllText(Path.Combine(dir.FullName, relative));
        throw new InvalidOperationException("the repository root (SocketPeer.sln) was not found above " + AppContext.BaseDirectory);
    }
}
