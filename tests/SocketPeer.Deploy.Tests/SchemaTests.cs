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

        Assert.True(report.EndsWith($": {rendering.Objects.Count + rendering.CustomResources.Count} objects, 0 invalid", StringComparison.Ordinal),
            $"{kustomization} does not validate:\n{report}");
    }

    [Theory]
    [MemberData(nameof(Rendering.All), MemberType = typeof(Rendering))]
    public void Every_object_has_only_fields_the_Kubernetes_API_knows(string kustomization)
    {
        // The JSON schemas allow unknown fields; the API server's strict field validation (kubectl's
        // default) refuses them, and a misspelt or misplaced field is otherwise silently dropped.
        // Custom resources are not API types here: deploy/validate checks them against their CRD's schema,
        // which also allows unknown fields (CustomResourceTests reads the fields that matter).
        var rendering = Rendering.Of(kustomization);

        var strict = Record.Exception(() => KubernetesYaml.LoadAllFromString(rendering.BuiltInYaml, strict: true));

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

    [Fact]
    public void The_validator_checks_cert_manager_resources_against_their_schema()
    {
        // A good Certificate and Issuer pass; a Certificate without issuerRef and secretName, one whose
        // dnsNames is not a list, an Issuer of a cert-manager API version that does not exist, and a
        // custom resource of a group the validator has no schema for fail.
        const string resources = """
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata: {name: good}
            spec: {ca: {secretName: good-ca}}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: good}
            spec: {secretName: good-tls, dnsNames: [a.example], issuerRef: {name: good}}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: no-issuer}
            spec: {dnsNames: [a.example]}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: names-not-a-list}
            spec: {secretName: x, dnsNames: a.example, issuerRef: {name: good}}
            ---
            apiVersion: cert-manager.io/v9
            kind: Issuer
            metadata: {name: no-such-version}
            spec: {selfSigned: {}}
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: unknown-group}
            """;

        var result = SchemaValidator.Validate(resources);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("stdin: 6 objects, 4 invalid", result.Output);
        Assert.Contains("valid   stdin: cert-manager.io/v1/Certificate -/good", result.Output);
        Assert.Contains("valid   stdin: cert-manager.io/v1/Issuer -/good", result.Output);
        Assert.Contains("no-issuer: data/spec must have required property issuerRef", result.Output);
        Assert.Contains("names-not-a-list: data/spec/dnsNames must be array", result.Output);
    }
}
