import type { GroupIndex } from './affected-builder';

/** One vm_group's change: from `current` to `target` VMs. */
export interface GroupChange {
  vmGroup: string;
  vduId: string;
  current: number;
  target: number;
}

/** A scaling aspect as the VNFD gives it: the VDUs it scales and the VMs one step adds per VDU (default 1). */
export interface ScaleAspect {
  vduIds: string[];
  stepDeltas?: Record<string, number>;
}

/** The VNFD's scaling aspects by id, kept in the VNF record (attribute `escAspects`) at instantiate. */
export type AspectIndex = Record<string, ScaleAspect>;

/** The aspect index of a VNFD (only what scaling needs: the VDUs and their step sizes). */
export function aspectIndexOf(vnfd: {
  scalingAspects: { aspectId: string; vduIds: string[]; stepDeltas?: Record<string, number> }[];
}): AspectIndex {
  return Object.fromEntries(
    vnfd.scalingAspects.map((a) => [
      a.aspectId,
      a.stepDeltas ? { vduIds: [...a.vduIds], stepDeltas: { ...a.stepDeltas } } : { vduIds: [...a.vduIds] },
    ]),
  );
}

/** What a scale is planned from. */
export interface ScalePlanInput {
  aspectId: string;
  type: 'SCALE_IN' | 'SCALE_OUT';
  numberOfSteps: number;
  /** The VNF's vm_groups (record attribute `escGroups`). */
  groups: GroupIndex;
  /** Per vm_group, the VNFD's bounds (record attribute `escBounds`); absent: at least 0, no maximum. */
  bounds: Record<string, { min: number; max?: number }>;
  /** VMs per vm_group now, from ESC's opdata. */
  counts: Record<string, number>;
  /** The aspect from the VNF record (kept at instantiate), else from a vnfdModel the request carried. */
  aspect?: ScaleAspect;
}

/** The scale request cannot be carried out (unknown aspect, bounds crossed). */
export class ScalePlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScalePlanError';
  }
}

/**
 * Plans a scale (VNFM Driver API §3.5 "Scale VNF"): the aspect's VDUs, else a vm_group or VDU named like the aspect, each
 * changing by numberOfSteps × its step size from its count in opdata, within its bounds.
 * @throws ScalePlanError naming the aspect, the group, the target and the bounds.
 */
export function planScale(input: ScalePlanInput): GroupChange[] {
  const { aspectId, numberOfSteps, type } = input;
  const sign = type === 'SCALE_OUT' ? 1 : -1;
  return aspectGroups(input).map(({ vmGroup, vduId, stepSize }) => {
    const current = input.counts[vmGroup] ?? 0;
    const target = current + sign * numberOfSteps * stepSize;
    const b = input.bounds[vmGroup] ?? { min: 0 };
    if (target < b.min || (b.max !== undefined && target > b.max) || target < 0) {
      const range = `${b.min}..${b.max ?? '∞'}`;
      throw new ScalePlanError(
        `cannot ${type === 'SCALE_OUT' ? 'scale out' : 'scale in'} aspect ${aspectId} by ${numberOfSteps} step(s): VM group ${vmGroup} would have ${target} VM(s), outside its bounds ${range} (now ${current})`,
      );
    }
    return { vmGroup, vduId, current, target };
  });
}

function aspectGroups(input: ScalePlanInput): { vmGroup: string; vduId: string; stepSize: number }[] {
  const { aspectId, aspect, groups } = input;
  const byVdu = Object.entries(groups).filter(([, g]) => aspect?.vduIds.includes(g.vduId));
  const direct = Object.entries(groups).filter(([name, g]) => name === aspectId || g.vduId === aspectId);
  const chosen = byVdu.length > 0 ? byVdu : direct;
  if (chosen.length === 0) {
    throw new ScalePlanError(
      `aspect ${aspectId} names no VM group of this VNF (groups: ${Object.values(groups)
        .map((g) => g.vduId)
        .join(', ')})`,
    );
  }
  return chosen.map(([vmGroup, g]) => ({ vmGroup, vduId: g.vduId, stepSize: aspect?.stepDeltas?.[g.vduId] ?? 1 }));
}
