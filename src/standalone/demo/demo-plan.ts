import fs from 'node:fs';
import path from 'node:path';
import { DemoError } from './demo-errors';

/** What the demo instantiates and how it scales and heals it (`config/standalone/demo.json`). */
export interface DemoPlan {
  vnfmId: string;
  vnfInstanceName: string;
  vnfPackageId: string;
  vnfDescriptorId: string;
  vim: { cloud_owner: string; cloud_regionid: string };
  extVirtualLinks: Array<{ cpdId: string; vlInstanceId: string; resourceId: string; resourceSubnetId?: string }>;
  inputs: Record<string, unknown>;
  scaleAspectId: string;
  /** The VDU whose VM the heal step reboots. */
  healVduId: string;
  /** The package's VNFD model (JSON text), sent with scale requests as NSLCM does; read from the package. */
  vnfdModel?: string;
}

/** Reads and checks the demo plan file. */
export function loadDemoPlan(file: string): DemoPlan {
  let plan: Partial<DemoPlan>;
  try {
    plan = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DemoPlan>;
  } catch (err) {
    throw new DemoError('read plan', `cannot read ${path.basename(file)}: ${(err as Error).message}`, { cause: err });
  }
  const missing = (['vnfmId', 'vnfInstanceName', 'vnfPackageId', 'vnfDescriptorId', 'scaleAspectId', 'healVduId'] as const).filter(
    (k) => typeof plan[k] !== 'string' || plan[k] === '',
  );
  if (!plan.vim?.cloud_owner || !plan.vim.cloud_regionid) missing.push('vim' as never);
  if (!Array.isArray(plan.extVirtualLinks)) missing.push('extVirtualLinks' as never);
  if (missing.length > 0) throw new DemoError('read plan', `${path.basename(file)} lacks ${missing.join(', ')}`);
  return { inputs: {}, ...plan, vnfdModel: plan.vnfdModel ?? readPackageModel(path.dirname(file), plan.vnfPackageId!) } as DemoPlan;
}

/** `packages/<csarId>/vnfd-model.json` next to the plan, when there is one. */
function readPackageModel(dir: string, csarId: string): string | undefined {
  const file = path.join(dir, 'packages', path.basename(csarId), 'vnfd-model.json');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/** The scale body, shaped as NSLCM sends it (numberOfSteps as text, the VNFD model in additionalParam). */
export function buildScaleBody(plan: DemoPlan, type: 'SCALE_OUT' | 'SCALE_IN', steps: number): Record<string, unknown> {
  return {
    type,
    aspectId: plan.scaleAspectId,
    numberOfSteps: String(steps),
    additionalParam: plan.vnfdModel ? { vnfdModel: plan.vnfdModel } : {},
  };
}

/** The instantiate body, shaped as NSLCM sends it (docs/nslcm-contract.md §2 "What arrives in the requests"). */
export function buildInstantiateBody(plan: DemoPlan): Record<string, unknown> {
  const vimConnectionId = JSON.stringify(plan.vim);
  return {
    vnfInstanceName: plan.vnfInstanceName,
    vnfPackageId: plan.vnfPackageId,
    vnfDescriptorId: plan.vnfDescriptorId,
    flavourId: 'default',
    extVirtualLink: plan.extVirtualLinks.map((l, i) => ({
      vlInstanceId: l.vlInstanceId,
      resourceId: l.resourceId,
      resourceSubnetId: l.resourceSubnetId,
      cpdId: l.cpdId,
      vim: { vimid: plan.vim },
      id: `ext-${i + 1}`,
      vimConnectionId,
    })),
    extCps: plan.extVirtualLinks.map((l) => ({ cpdId: l.cpdId, cpConfig: [] })),
    additionalParam: {
      properties: '{}',
      inputs: plan.inputs,
      vimId: vimConnectionId,
      extVirtualLinks: plan.extVirtualLinks.map((l) => ({
        network_name: l.resourceId,
        key_name: l.cpdId,
        subnetwork_name: l.resourceSubnetId ?? '',
        vl_instance_id: l.vlInstanceId,
      })),
    },
  };
}
