import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Renders a kustomization the way `kubectl kustomize` does, for the few features the project's manifests use:
 * `resources` (files, and folders holding a kustomization), `namespace`, and `patches` given by `path` whose
 * objects are merged into the object of the same apiVersion, kind and name as a strategic merge patch does: maps
 * merged key by key, a null removing the key, the lists Kubernetes merges by a key (see {@link MERGE_KEYS}) merged
 * item by item (an item `$patch: delete` removes the item of that key), and a patch object `$patch: delete`
 * removing the object. Anything else in a kustomization, or a patch holding another list, is refused, so that the
 * manifests cannot use a feature this renderer would get wrong.
 */

/** A Kubernetes object as parsed from YAML. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

const KNOWN_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'patches']);

/** The lists of a pod template a strategic merge patch merges item by item, and the field naming an item. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
};

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
      if (p.$patch === 'delete') objects.splice(objects.indexOf(target), 1);
      else objects[objects.indexOf(target)] = mergeMaps(target, p, patch.path) as K8sObject;
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
    if (key.startsWith('$')) throw new Error(`${where}: directive ${key} is only rendered on a patch object or a list item`);
    if (Array.isArray(value)) out[key] = mergeList(key, Array.isArray(out[key]) ? (out[key] as unknown[]) : [], value, where);
    else if (value === null) delete out[key];
    else if (isMap(value) && isMap(out[key])) out[key] = mergeMaps(out[key], value, where);
    else out[key] = value;
  }
  return out;
}

/**
 * Merges a list of {@link MERGE_KEYS} item by item: a patch item is merged into the item of its key; the items the
 * list did not have come first, in the patch's order (where kustomize puts them).
 */
function mergeList(key: string, base: unknown[], patch: unknown[], where: string): unknown[] {
  const mergeKey = MERGE_KEYS[key];
  if (mergeKey === undefined) throw new Error(`${where}: list ${key} is not one this renderer merges by key`);
  const out = [...base];
  const added: unknown[] = [];
  for (const item of patch) {
    if (!isMap(item) || item[mergeKey] === undefined) throw new Error(`${where}: an item of ${key} without ${mergeKey}`);
    const at = out.findIndex((o) => isMap(o) && o[mergeKey] === item[mergeKey]);
    const { $patch: directive, ...fields } = item;
    if (directive === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (directive !== undefined) {
      throw new Error(`${where}: $patch ${JSON.stringify(directive)} in ${key} is not rendered here`);
    } else if (at >= 0) {
      out[at] = mergeMaps(out[at] as Record<string, unknown>, fields, where);
    } else {
      added.push(fields);
    }
  }
  return [...added, ...out];
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
