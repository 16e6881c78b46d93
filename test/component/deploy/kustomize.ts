import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Renders a kustomization the way `kubectl kustomize` does, for the few features the project's manifests use:
 * `resources` (files, and folders holding a kustomization), `namespace`, and `patches` given by `path` whose
 * objects are merged into the object of the same apiVersion, kind and name (maps merged key by key, a null
 * removing the key). Anything else in a kustomization, or a patch holding a list (which kustomize would merge
 * by key), is refused, so that the manifests cannot use a feature this renderer would get wrong.
 */

/** A Kubernetes object as parsed from YAML. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

const KNOWN_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'patches']);

/** The objects a kustomization folder renders to, in the order of its resources. */
export function renderKustomization(dir: string): K8sObject[] {
  const file = path.join(dir, 'kustomization.yaml');
  const k = readYaml(file)[0] as Record<string, unknown> | undefined;
  if (!k || k.kind !== 'Kustomization') throw new Error(`${file}: not a Kustomization`);
  const unknown = Object.keys(k).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length > 0) throw new Error(`${file}: this renderer does not know ${unknown.join(', ')}`);

  const objects: K8sObject[] = [];
  for (const resource of (k.resources as string[] | undefined) ?? []) {
    const target = path.join(dir, resource);
    objects.push(...(fs.statSync(target).isDirectory() ? renderKustomization(target) : (readYaml(target) as K8sObject[])));
  }
  for (const patch of (k.patches as Array<Record<string, unknown>> | undefined) ?? []) {
    if (typeof patch.path !== 'string' || Object.keys(patch).length !== 1) {
      throw new Error(`${file}: only patches given by path are rendered here`);
    }
    for (const p of readYaml(path.join(dir, patch.path)) as K8sObject[]) {
      const target = objects.find((o) => o.apiVersion === p.apiVersion && o.kind === p.kind && o.metadata.name === p.metadata.name);
      if (!target) throw new Error(`${file}: patch ${patch.path} matches no ${p.kind} ${p.metadata.name}`);
      objects[objects.indexOf(target)] = mergeMaps(target, p, patch.path) as K8sObject;
    }
  }
  if (typeof k.namespace === 'string') {
    for (const o of objects) if (o.kind !== 'Namespace') o.metadata = { ...o.metadata, namespace: k.namespace };
  }
  return objects;
}

function readYaml(file: string): unknown[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
      return doc.toJS() as unknown;
    })
    .filter((d) => d !== null && d !== undefined);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeMaps(base: Record<string, unknown>, patch: Record<string, unknown>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (Array.isArray(value)) throw new Error(`${where}: lists (${key}) are merged by key in kustomize; not rendered here`);
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(out[key])) out[key] = mergeMaps(out[key], value, where);
    else out[key] = value;
  }
  return out;
}

/**
 * Checks an object against the Kubernetes schema of its apiVersion and kind (kubernetes-models); returns
 * the problems found, none when it is valid.
 */
export function schemaProblems(o: K8sObject): string[] {
  let Model: new (data: unknown) => { validate(): void };
  try {
    // The model classes are one module per kind; load only the ones the manifests use.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module path is computed, and the caller is synchronous
    Model = (require(`kubernetes-models/${o.apiVersion}/${o.kind}`) as Record<string, new (data: unknown) => { validate(): void }>)[
      o.kind
    ]!;
  } catch {
    return [`${o.apiVersion} ${o.kind}: no such Kubernetes kind`];
  }
  try {
    new Model(o).validate();
    return [];
  } catch (err) {
    return [`${o.kind} ${o.metadata.name}: ${(err as Error).message}`];
  }
}
