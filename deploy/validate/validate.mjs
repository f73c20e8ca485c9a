#!/usr/bin/env node
// Validates Kubernetes objects against the JSON schemas of the Kubernetes API, and the custom resources
// the manifests use against their own CRDs' schemas, offline.
//
//   kubectl kustomize deploy/k8s/overlays/production | node deploy/validate/validate.mjs
//   node deploy/validate/validate.mjs rendered.yaml ...
//
// Reads multi-document YAML (files, or standard input), finds the model of each object's apiVersion
// and kind in kubernetes-models (schemas generated from the Kubernetes OpenAPI document) and checks
// the object against it: required fields, types, formats, enums, int-or-string. Prints one line per
// object and one summary per input ("<input>: N objects, N invalid"), and exits 1 if any object is
// invalid or of an unknown apiVersion/kind, or an input holds no object.
// Custom resources: an API group listed in customResourceModels is checked against that package's models
// (generated from the CRDs of a pinned release, see its package.json); any other group is unknown.
// Install once with: npm ci --prefix deploy/validate
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// API group -> the models package of its custom resources. cert-manager: Certificate, Issuer,
// ClusterIssuer, CertificateRequest (@kubernetes-models/cert-manager 4.4.4: cert-manager 1.11's CRDs).
// Prometheus Operator: PrometheusRule, PodMonitor, ServiceMonitor (@kubernetes-models/prometheus-operator 4.4.4).
const customResourceModels = {
  "cert-manager.io": "@kubernetes-models/cert-manager",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

const files = process.argv.slice(2);
const sources = files.length > 0
  ? files.map((file) => ({ name: file, text: readFileSync(file, "utf8") }))
  : [{ name: "stdin", text: readFileSync(0, "utf8") }];

let failures = 0;
let empty = false;
for (const { name, text } of sources) {
  const failuresBefore = failures;
  let objects = 0;
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      fail(`${name}: not YAML: ${document.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const object = document.toJS();
    if (object === null || object === undefined) continue; // an empty document
    objects++;
    await check(object, name);
  }
  console.log(`${name}: ${objects} objects, ${failures - failuresBefore} invalid`);
  empty ||= objects === 0;
}
process.exit(failures > 0 || empty ? 1 : 0);

/** The module of an apiVersion/kind: kubernetes-models for the built-in API, else its group's package. */
function modelModule(apiVersion, kind) {
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const models = customResourceModels[group] ?? "kubernetes-models";
  return `${models}/${apiVersion}/${kind}`;
}

async function check(object, source) {
  const { apiVersion, kind } = object;
  const label = `${source}: ${apiVersion}/${kind} ${object.metadata?.namespace ?? "-"}/${object.metadata?.name ?? "?"}`;
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Za-z0-9./-]+$/.test(apiVersion + kind)) {
    fail(`${label}: no apiVersion or kind`);
    return;
  }
  let Model;
  try {
    // "v1" is the core group: kubernetes-models/v1/Service; others: kubernetes-models/apps/v1/StatefulSet;
    // custom resources: @kubernetes-models/cert-manager/cert-manager.io/v1/Certificate.
    Model = (await import(modelModule(apiVersion, kind)))[kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    fail(`${label}: unknown apiVersion/kind (not in the Kubernetes API schemas nor a known custom resource's)`);
    return;
  }
  try {
    new Model(object).validate();
    console.log(`valid   ${label}`);
  } catch (error) {
    fail(`${label}: ${error.message}`);
  }
}

function fail(message) {
  failures++;
  console.log(`INVALID ${message}`);
}
