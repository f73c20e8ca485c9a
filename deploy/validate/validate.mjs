#!/usr/bin/env node
// Validates Kubernetes objects against the JSON schemas of the Kubernetes API, offline.
//
//   kubectl kustomize deploy/k8s/overlays/production | node deploy/validate/validate.mjs
//   node deploy/validate/validate.mjs rendered.yaml ...
//
// Reads multi-document YAML (files, or standard input), finds the model of each object's apiVersion
// and kind in kubernetes-models (schemas generated from the Kubernetes OpenAPI document) and checks
// the object against it: required fields, types, formats, enums, int-or-string. Prints one line per
// object and one summary per input ("<input>: N objects, N invalid"), and exits 1 if any object is
// invalid or of an unknown apiVersion/kind, or an input holds no object.
// Install once with: npm ci --prefix deploy/validate
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

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

async function check(object, source) {
  const { apiVersion, kind } = object;
  const label = `${source}: ${apiVersion}/${kind} ${object.metadata?.namespace ?? "-"}/${object.metadata?.name ?? "?"}`;
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Za-z0-9./]+$/.test(apiVersion + kind)) {
    fail(`${label}: no apiVersion or kind`);
    return;
  }
  let Model;
  try {
    // "v1" is the core group: kubernetes-models/v1/Service; others: kubernetes-models/apps/v1/StatefulSet.
    Model = (await monitoringModel(apiVersion, kind)) ?? (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    fail(`${label}: unknown apiVersion/kind (not in the Kubernetes API schemas)`);
    return;
  }
  try {
    new Model(object).validate();
    console.log(`valid   ${label}`);
  } catch (error) {
    fail(`${label}: ${error.message}`);
  }
}

// Prometheus Operator custom resources (monitoring.coreos.com: PrometheusRule, ServiceMonitor, ...) are
// checked against @kubernetes-models/prometheus-operator 4.4.4 (models generated from the operator's
// CRDs), pinned by the lockfile. undefined for any other API group.
async function monitoringModel(apiVersion, kind) {
  if (!apiVersion.startsWith("monitoring.coreos.com/")) return undefined;
  return (await import(`@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`))[kind];
}

function fail(message) {
  failures++;
  console.log(`INVALID ${message}`);
}
