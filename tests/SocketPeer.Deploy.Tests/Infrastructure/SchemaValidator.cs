namespace SocketPeer.Deploy.Tests.Infrastructure;

/// <summary>
/// deploy/validate: the Kubernetes API's JSON schemas (npm kubernetes-models) run by Node.js. All
/// renderings are validated in one run, since starting Node is most of the cost.
/// </summary>
internal static class SchemaValidator
{
    public const string Directory = "deploy/validate";

    private static readonly Lazy<(string Output, IReadOnlyDictionary<string, string> Files)> AllRenderings = new(ValidateAll);

    public static CommandResult Validate(string yaml)
    {
        EnsureInstalled();
        return Command.Run("node", [Repo.Path($"{Directory}/validate.mjs")], input: yaml);
    }

    /// <summary>The validator's lines about one rendering, ending with its "N objects, N invalid" summary.</summary>
    public static string ReportFor(string kustomization)
    {
        var (output, files) = AllRenderings.Value;
        var file = files[kustomization];
        return string.Join('\n', output.Split('\n').Where(line => line.Contains(file + ":", StringComparison.Ordinal)));
    }

    private static (string, IReadOnlyDictionary<string, string>) ValidateAll()
    {
        EnsureInstalled();
        var folder = System.IO.Directory.CreateTempSubdirectory("socketpeer-deploy-");
        try
        {
            var files = new Dictionary<string, string>();
            foreach (var kustomization in Rendering.Kustomizations())
            {
                var file = System.IO.Path.Combine(folder.FullName, kustomization.Replace('/', '_') + ".yaml");
                File.WriteAllText(file, Rendering.Of(kustomization).Yaml);
                files[kustomization] = file;
            }
            var result = Command.Run("node", [Repo.Path($"{Directory}/validate.mjs"), .. files.Values]);
            return (result.Describe(), files);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void EnsureInstalled() =>
        Assert.True(System.IO.Directory.Exists(Repo.Path($"{Directory}/node_modules/kubernetes-models")),
            $"The schema validator is not installed: run `npm ci --prefix {Directory}` (test.sh does).");
}
