import type { ScaleTarget } from './edit-builders';
import { ScaleError } from './mapping-errors';
import type { ScalingAspectModel } from './vnfd-model';

/** A vm_group as the VNF record knows it: its current settings and the VNFD's bounds. */
export interface ScaleGroupState {
  vmGroup: string;
  vduId: string;
  minActive: number;
  maxActive: number;
  bounds: { min: number; max?: number };
}

export interface PlanScaleInput {
  aspectId: string;
  /** SCALE_OUT or SCALE_IN (any case). */
  type: string;
  /** A positive integer or numeric string, as NSLCM sends it. */
  numberOfSteps: number | string;
  groups: ScaleGroupState[];
  /** Aspects from the VNFD. */
  aspects?: ScalingAspectModel[];
  /** aspectId → VDU id(s), e.g. from the request's additionalParam; wins over the VNFD. */
  aspectMapping?: Record<string, string | string[]>;
  /** VMs per vm_group now (from opdata); absent: the group's min_active. */
  currentCounts?: Record<string, number>;
}

export interface PlannedGroupScale extends ScaleTarget {
  vduId: string;
  /** VMs added (positive) or removed (negative). */
  delta: number;
  /** VM count the group will settle at. */
  targetCount: number;
}

/**
 * Plans a VF-C scale request as new `min_active`/`max_active` per vm_group (sent with
 * {@link buildScaleConfig}, guide: "Update Service"). The aspect is resolved from `aspectMapping`,
 * then the VNFD's aspects, then a VDU id or vm_group name equal to the aspect id. Each group moves
 * `numberOfSteps × step` VMs (step from the aspect's deltas, default 1) and is pinned to that count:
 * scale-out raises min_active to it, scale-in lowers max_active to it, so ESC adds or removes exactly those VMs.
 * @throws ScaleError for an unknown aspect, a bad step count, or a count past the group's bounds.
 */
export function planScale(input: PlanScaleInput): PlannedGroupScale[] {
  const type = input.type.toUpperCase();
  if (type !== 'SCALE_OUT' && type !== 'SCALE_IN') {
    throw new ScaleError(`scale type ${input.type} is neither SCALE_OUT nor SCALE_IN`, { aspectId: input.aspectId });
  }
  const steps = Number(input.numberOfSteps);
  if (!Number.isInteger(steps) || steps < 1) {
    throw new ScaleError(`numberOfSteps ${String(input.numberOfSteps)} is not a positive integer`, { aspectId: input.aspectId });
  }
  const { vduIds, stepDeltas } = resolveAspect(input);
  return vduIds.map((vduId) => {
    const group = input.groups.find((g) => g.vduId === vduId || g.vmGroup === vduId);
    if (!group) {
      throw new ScaleError(`aspect ${input.aspectId} names VDU ${vduId}, which has no vm_group in this deployment`, { aspectId: input.aspectId, vduId });
    }
    const delta = steps * (stepDeltas?.[group.vduId] ?? 1) * (type === 'SCALE_OUT' ? 1 : -1);
    return planGroup(input.aspectId, group, delta, input.currentCounts?.[group.vmGroup]);
  });
}

function resolveAspect(input: PlanScaleInput): Pick<ScalingAspectModel, 'vduIds' | 'stepDeltas'> {
  const mapped = input.aspectMapping?.[input.aspectId];
  if (mapped !== undefined) {
    const vduIds = (Array.isArray(mapped) ? mapped : [mapped]).filter((v) => v !== '');
    if (vduIds.length > 0) return { vduIds };
  }
  const aspect = input.aspects?.find((a) => a.aspectId === input.aspectId);
  if (aspect && aspect.vduIds.length > 0) return aspect;
  const group = input.groups.find((g) => g.vduId === input.aspectId || g.vmGroup === input.aspectId);
  if (group) return { vduIds: [group.vduId] };
  const known = [...(input.aspects ?? []).map((a) => a.aspectId), ...input.groups.map((g) => g.vduId)];
  throw new ScaleError(
    `unknown aspect ${input.aspectId}: not a scaling aspect of the VNFD nor a VDU (known: ${known.join(', ') || 'none'})`,
    { aspectId: input.aspectId },
  );
}

function planGroup(aspectId: string, g: ScaleGroupState, delta: number, current: number | undefined): PlannedGroupScale {
  const base = current ?? g.minActive;
  const targetCount = base + delta;
  const what = `${delta > 0 ? 'scaling out' : 'scaling in'} vm_group ${g.vmGroup} (VDU ${g.vduId}) by ${Math.abs(delta)} VM(s) from ${base}`;
  if (delta > 0 && g.bounds.max !== undefined && targetCount > g.bounds.max) {
    throw new ScaleError(`${what} would reach ${targetCount} VMs, above its maximum of ${g.bounds.max}`, { aspectId, vmGroup: g.vmGroup, vduId: g.vduId });
  }
  if (delta < 0 && targetCount < Math.max(g.bounds.min, 0)) {
    throw new ScaleError(`${what} would leave ${targetCount} VMs, below its minimum of ${Math.max(g.bounds.min, 0)}`, { aspectId, vmGroup: g.vmGroup, vduId: g.vduId });
  }
  const minActive = delta > 0 ? targetCount : Math.min(g.minActive, targetCount);
  const maxActive = delta > 0 ? Math.max(g.maxActive, targetCount) : targetCount;
  return { vmGroup: g.vmGroup, vduId: g.vduId, minActive, maxActive, delta, targetCount };
}
