using k8s;
using SocketPeer.Deploy.Tests.Infrastructure;

namespace SocketPeer.Deploy.Tests;

/// <summary>Every kustomization renders, and what it renders is something a Kubernetes API server accepts.</summary>
public class SchemaTests
{
    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Renders_with_kubectl_kustomize(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);

        var kinds = rendering.Objects.Select(o => o.GetType().Name).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "V1StatefulSet", "V1Service", "V1ConfigMap", "V1ServiceAccount", "V1PodDisruptionBudget",
            "V1NetworkPolicy", "V1Ingress",
        }, kinds);
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Every_object_matches_the_Kubernetes_API_schema(string kustomization)
    {
        var rendering = Rendering.Of(kustomization);

        var report = SchemaValidator.ReportFor(kustomization);

        Assert.True(report.EndsWith($": {rendering.Objects.Count} objects, 0 invalid", StringComparison.Ordinal),
            $"{kustomization} does not validate:\n{report}");
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Every_object_has_only_fields_the_Kubernetes_API_knows(string kustomization)
    {
        // The JSON schemas allow unknown fields; the API server's strict field validation (kubectl's
        // default) refuses them, and a misspelt or misplaced field is otherwise silently dropped.
        var rendering = Rendering.Of(kustomization);

        var strict = Record.Exception(() => KubernetesYaml.LoadAllFromString(rendering.Yaml, strict: true));

        Assert.True(strict is null, $"{kustomization}: {strict?.Message}");
    }

    [Fact]
    public void The_validator_refuses_an_invalid_object()
    {
        // Guards the guard: a wrong type, a missing required field and an unknown API all fail.
        const string invalid = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: broken}
            spec:
              serviceName: broken
              selector: {matchLabels: {app: broken}}
              template:
                metadata: {labels: {app: broken}}
                spec:
                  containers:
                    - name: broken
                      image: example/broken:1.0.0
                      ports: [{containerPort: "8080"}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: broken}
            spec:
              ports: [{name: http}]
            ---
            apiVersion: policy/v1beta3
            kind: PodDisruptionBudget
            metadata: {name: broken}
            """;

        var result = SchemaValidator.Validate(invalid);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("stdin: 3 objects, 3 invalid", result.Output);
    }
}
