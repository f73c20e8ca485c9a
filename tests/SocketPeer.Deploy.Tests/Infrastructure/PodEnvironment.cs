using System.Text;
using k8s.Models;

namespace SocketPeer.Deploy.Tests.Infrastructure;

/// <summary>
/// The environment the kubelet gives the SocketPeer container of one pod: the <c>envFrom</c>
/// ConfigMaps first, then <c>env</c> in order, each value's <c>$(VAR)</c> expanded from the variables
/// defined before it (a reference to a later or unknown variable stays as written, as in Kubernetes).
/// Optional Secrets are taken as absent, which is how a fresh namespace starts.
/// </summary>
internal static class PodEnvironment
{
    public static IReadOnlyDictionary<string, string> Of(Rendering rendering, int ordinal)
    {
        var container = rendering.Container;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var source in container.EnvFrom ?? [])
        {
            if (source.ConfigMapRef is { } reference)
            {
                var map = rendering.Named<V1ConfigMap>(reference.Name);
                foreach (var (key, value) in map.Data ?? new Dictionary<string, string>())
                    environment[(source.Prefix ?? "") + key] = value;
            }
            else
            {
                Assert.Fail($"{rendering}: envFrom other than a ConfigMap is not modelled here: {source}");
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            var value = variable.ValueFrom is null
                ? Expand(variable.Value ?? "", environment)
                : ValueFrom(rendering, variable, ordinal);
            if (value is null)
                environment.Remove(variable.Name);
            else
                environment[variable.Name] = value;
        }
        return environment;
    }

    private static string? ValueFrom(Rendering rendering, V1EnvVar variable, int ordinal)
    {
        var from = variable.ValueFrom;
        if (from.FieldRef is { } field)
        {
            return field.FieldPath switch
            {
                "metadata.name" => rendering.PodName(ordinal),
                "metadata.namespace" => rendering.Namespace,
                _ => throw new Xunit.Sdk.XunitException($"{rendering}: fieldRef {field.FieldPath} is not modelled here."),
            };
        }
        if (from.SecretKeyRef is { } secret)
        {
            Assert.True(secret.Optional == true,
                $"{rendering}: {variable.Name} needs Secret {secret.Name}, which the manifests do not create; make it optional.");
            return null;
        }
        if (from.ConfigMapKeyRef is { } key)
            return rendering.Named<V1ConfigMap>(key.Name).Data[key.Key];
        throw new Xunit.Sdk.XunitException($"{rendering}: {variable.Name}'s valueFrom is not modelled here.");
    }

    /// <summary>Kubernetes' <c>$(VAR)</c> expansion: <c>$$</c> is a literal <c>$</c>, unknown references stay.</summary>
    public static string Expand(string value, IReadOnlyDictionary<string, string> defined)
    {
        var expanded = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '$')
            {
                expanded.Append('$');
                i++;
            }
            else if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '(' && value.IndexOf(')', i) is var close && close > i)
            {
                var name = value[(i + 2)..close];
                expanded.Append(defined.TryGetValue(name, out var found) ? found : value[i..(close + 1)]);
                i = close;
            }
            else
            {
                expanded.Append(value[i]);
            }
        }
        return expanded.ToString();
    }
}
