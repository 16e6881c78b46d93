import type { ScalingAspectModel } from './vnfd-model';
import { asArray, asCount, asRecord, asRecords, asString, type Json } from './vnfd-values';

/** A TOSCA policy in either of its JSON forms: `{name, type, targets, properties}` or `{<name>: {...}}`. */
interface Policy {
  name: string;
  type: string;
  targets: string[];
  properties: Json;
}

/** Normalises `model.policies` (list or map) into {@link Policy} items. */
export function readPolicies(model: Json): Policy[] {
  const raw = model.policies;
  const entries: [string, Json][] = [];
  for (const item of asRecords(raw)) {
    if (asString(item.type)) entries.push([asString(item.name) ?? '', item]);
    else for (const [k, v] of Object.entries(item)) if (asRecord(v)) entries.push([k, asRecord(v)!]);
  }
  if (asRecord(raw)) for (const [k, v] of Object.entries(raw as Json)) if (asRecord(v)) entries.push([k, asRecord(v)!]);
  return entries.map(([name, p]) => ({
    name,
    type: asString(p.type) ?? '',
    targets: asArray(p.targets)
      .map(asString)
      .filter((t): t is string => t !== undefined),
    properties: asRecord(p.properties) ?? {},
  }));
}

const isType = (p: Policy, suffix: string): boolean => p.type === suffix || p.type.endsWith(`.${suffix}`);

/**
 * Scaling aspects from SOL001 policies (`ScalingAspects` + `VduScalingAspectDeltas`) and from the
 * older flavour form (`vnf_flavours[].scaling_aspects` with `element_groups` members).
 */
export function readScalingAspects(model: Json, policies: Policy[]): ScalingAspectModel[] {
  const byId = new Map<string, ScalingAspectModel>();
  const get = (id: string): ScalingAspectModel => {
    if (!byId.has(id)) byId.set(id, { aspectId: id, vduIds: [] });
    return byId.get(id)!;
  };
  for (const p of policies.filter((x) => isType(x, 'ScalingAspects'))) {
    for (const [id, a] of Object.entries(asRecord(p.properties.aspects) ?? {})) {
      get(id).maxScaleLevel = asCount(asRecord(a)?.max_scale_level);
    }
  }
  for (const p of policies.filter((x) => isType(x, 'VduScalingAspectDeltas'))) {
    const aspectId = asString(p.properties.aspect);
    if (!aspectId) continue;
    const aspect = get(aspectId);
    const firstDelta = Object.values(asRecord(p.properties.deltas) ?? {})[0];
    const step = asCount(asRecord(firstDelta)?.number_of_instances);
    for (const vduId of p.targets) addVdu(aspect, vduId, step);
  }
  readFlavourAspects(model, get);
  return [...byId.values()];
}

function readFlavourAspects(model: Json, get: (id: string) => ScalingAspectModel): void {
  const groups = new Map<string, string[]>();
  for (const g of asRecords(model.element_groups)) {
    const id = asString(g.group_id);
    if (id)
      groups.set(
        id,
        asArray(g.members)
          .map(asString)
          .filter((m): m is string => m !== undefined),
      );
  }
  const flavourAspects = asRecords(model.vnf_flavours).flatMap((f) => asRecords(f.scaling_aspects));
  for (const a of [...flavourAspects, ...asRecords(model.scaling_aspects)]) {
    const id = asString(a.id) ?? asString(a.aspect_id);
    if (!id) continue;
    const aspect = get(id);
    aspect.maxScaleLevel ??= asCount(a.max_scale_level);
    const group = asString(a.associated_group);
    for (const vduId of (group && groups.get(group)) || []) addVdu(aspect, vduId, undefined);
  }
}

function addVdu(aspect: ScalingAspectModel, vduId: string, step: number | undefined): void {
  if (!aspect.vduIds.includes(vduId)) aspect.vduIds.push(vduId);
  if (step !== undefined) aspect.stepDeltas = { ...aspect.stepDeltas, [vduId]: step };
}

/** Initial VM count per VDU: `VduInstantiationLevels` (level `default`, else the first), then `VduInitialDelta`. */
export function readInstantiationLevels(policies: Policy[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of policies.filter((x) => isType(x, 'VduInitialDelta'))) {
    const n = asCount(asRecord(p.properties.initial_delta)?.number_of_instances);
    if (n !== undefined) for (const t of p.targets) out[t] = n;
  }
  for (const p of policies.filter((x) => isType(x, 'VduInstantiationLevels'))) {
    const levels = asRecord(p.properties.levels) ?? {};
    const level = asRecord(levels.default) ?? asRecord(Object.values(levels)[0]);
    const n = asCount(level?.number_of_instances);
    if (n !== undefined) for (const t of p.targets) out[t] = n;
  }
  return out;
}

/** Instance bounds per VDU from `vnf_flavours[].vdu_profiles` and each VDU's `properties.vdu_profile`. */
export function readVduProfiles(model: Json): Record<string, { min?: number; max?: number }> {
  const out: Record<string, { min?: number; max?: number }> = {};
  for (const p of asRecords(model.vnf_flavours).flatMap((f) => asRecords(f.vdu_profiles))) {
    const id = asString(p.vdu_id);
    if (id) out[id] = { min: asCount(p.instances_minimum_number), max: asCount(p.instances_maximum_number) };
  }
  for (const vdu of asRecords(model.vdus)) {
    const id = asString(vdu.vdu_id);
    const prof = asRecord(asRecord(vdu.properties)?.vdu_profile);
    if (id && prof) {
      out[id] = { min: asCount(prof.min_number_of_instances), max: asCount(prof.max_number_of_instances) };
    }
  }
  return out;
}
