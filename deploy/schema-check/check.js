#!/usr/bin/env node
// Validates Kubernetes objects against the JSON schemas of the Kubernetes API (kubernetes-models)
// and of the Prometheus operator's CRDs. Usage: node check.js FILE... ("-" reads standard input).
// Every document must be an object of a kind these packages know: an unknown kind fails rather
// than passing unchecked. Exit 0: all valid; 1: an object was refused; 2: nothing to check.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// Where a kind's model lives: "<package>/<apiVersion>/<Kind>", the first package that has it.
const PACKAGES = ["kubernetes-models", "@kubernetes-models/prometheus-operator"];
const API_VERSION = /^([a-z0-9-]+(\.[a-z0-9-]+)*\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

async function model(apiVersion, kind) {
  if (!API_VERSION.test(String(apiVersion)) || !KIND.test(String(kind))) {
    return null;
  }
  for (const pkg of PACKAGES) {
    try {
      const found = (await import(`${pkg}/${apiVersion}/${kind}`))[kind];
      // Only top-level objects: the same folders also export their parts (Container, Affinity...).
      if (found && found.apiVersion === apiVersion && found.kind === kind) {
        return found;
      }
    } catch (e) {
      if (e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED" && e.code !== "ERR_MODULE_NOT_FOUND") {
        throw e;
      }
    }
  }
  return null;
}

function documents(file) {
  const text = readFileSync(file === "-" ? 0 : file, "utf8");
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) {
      return { yamlError: doc.errors.map((e) => e.message).join("; ") };
    }
    return { object: doc.toJS() };
  }).filter((d) => d.yamlError || d.object != null);
}

// "/spec/template/spec/containers/0/ports" -> "spec.template.spec.containers[0].ports"
function field(instancePath) {
  const path = instancePath.split("/").slice(1).map((p) => (/^[0-9]+$/.test(p) ? `[${p}]` : `.${p}`)).join("");
  return path.startsWith(".") ? path.slice(1) : path || "(object)";
}

function problems(Model, object) {
  try {
    new Model(object).validate();
    return [];
  } catch (e) {
    if (!Array.isArray(e.errors)) {
      throw e;
    }
    return e.errors.map((err) => {
      const allowed = err.params?.allowedValues ? ` (${err.params.allowedValues.join(", ")})` : "";
      return `${field(err.instancePath)}: ${err.message}${allowed}`;
    });
  }
}

async function check(file) {
  let refused = 0;
  let checked = 0;
  for (const { yamlError, object } of documents(file)) {
    if (yamlError) {
      console.log(`FAIL ${file}: not YAML: ${yamlError}`);
      refused++;
      continue;
    }
    const kind = object?.kind ?? "(no kind)";
    const name = object?.metadata?.name ?? "(no name)";
    const Model = await model(object?.apiVersion, object?.kind);
    checked++;
    if (!Model) {
      console.log(`FAIL ${file}: ${kind} ${name}: unknown kind ${object?.apiVersion}/${kind}, no schema to check it against`);
      refused++;
      continue;
    }
    const found = problems(Model, object);
    if (found.length === 0) {
      console.log(`ok   ${file}: ${object.apiVersion} ${kind} ${name}`);
    }
    for (const problem of found) {
      console.log(`FAIL ${file}: ${kind} ${name}: ${problem}`);
    }
    refused += found.length > 0 ? 1 : 0;
  }
  return { checked, refused };
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node check.js FILE... (- for standard input)");
  process.exit(2);
}
let checked = 0;
let refused = 0;
for (const file of files) {
  const result = await check(file);
  checked += result.checked;
  refused += result.refused;
}
console.log(`${checked} objects checked, ${refused} refused`);
process.exit(refused > 0 ? 1 : checked > 0 ? 0 : 2);
