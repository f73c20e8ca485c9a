using System.Text.RegularExpressions;

namespace SocketPeer.Deploy.Tests.Infrastructure;

internal static class Images
{
    /// <summary>
    /// A reference with a digest, or a tag that names a version: not "latest", not missing (which
    /// means latest), and not a bare major version such as "10" that moves with every release.
    /// </summary>
    public static bool IsPinned(string image)
    {
        if (image.Contains("@sha256:", StringComparison.Ordinal))
            return true;
        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastSegment.LastIndexOf(':');
        if (colon < 0)
            return false;
        var tag = lastSegment[(colon + 1)..];
        return !tag.Equals("latest", StringComparison.OrdinalIgnoreCase) && Regex.IsMatch(tag, @"^v?\d+\.\d+");
    }

    /// <summary>The runtime stage's base image, from the Dockerfile's RUNTIME_IMAGE default.</summary>
    public static string RuntimeImage() =>
        Regex.Match(Repo.Read("Dockerfile"), @"^ARG RUNTIME_IMAGE=(\S+)$", RegexOptions.Multiline).Groups[1].Value;

    /// <summary>The numeric user the image runs as (its last USER line).</summary>
    public static long DockerfileUser()
    {
        var users = Regex.Matches(Repo.Read("Dockerfile"), @"^USER (\S+)$", RegexOptions.Multiline);
        Assert.NotEmpty(users);
        var user = users[^1].Groups[1].Value;
        Assert.True(long.TryParse(user, out var uid) && uid > 0, $"USER {user} is not a non-root user id.");
        return uid;
    }
}
