/**
 * NSLCM's inventory of VNFs as its notify_lcm keeps it from Notify bodies (docs/nslcm-contract.md §6 "How NSLCM
 * uses a Notify"): rows keyed as NSLCM keys them, changed entry by entry in array order (VNFCs, then VLs, then CPs).
 * - affectedVnfc ADDED: a VNFC row (by vnfcInstanceId) and a VM row (by vmId), and the vserver in A&AI;
 *   REMOVED: the VNFC row and the A&AI vserver of its VM are deleted (the VM row stays);
 *   MODIFIED: only the VNFC row's vmId is rewritten. A vnfcInstanceId NSLCM does not know changes nothing.
 * - affectedVl ADDED: a VL row owned by the VNF; REMOVED: the VL row is deleted by vlInstanceId, whoever owns it.
 * - affectedCp ADDED: a CP row and a port row; REMOVED: the CP row is deleted by cpInstanceId.
 */

export interface VnfcRow {
  vnfcInstanceId: string;
  vduId: string;
  vmId: string;
  nfInstId: string;
}

export interface VmRow {
  vmId: string;
  vimId: string;
  vmName: string;
  instId: string;
}

export interface VlRow {
  vlInstanceId: string;
  vldId: string;
  /** `VNF` for rows made from a Notify, `NS` for the NS's own VLs (seeded by tests). */
  ownerType: 'VNF' | 'NS';
  ownerId: string;
}

export interface CpRow {
  cpInstanceId: string;
  cpdId: string;
  ownerId: string;
  virtualLinkInstanceId: string;
  ipAddress: string;
}

/** The tables; tests may seed them (e.g. the NS's external VL). */
export interface NslcmInventory {
  vnfcs: Map<string, VnfcRow>;
  vms: Map<string, VmRow>;
  vls: Map<string, VlRow>;
  cps: Map<string, CpRow>;
  /** A&AI vservers by VM id (REPORT_TO_AAI on). */
  aaiVservers: Set<string>;
}

export function emptyInventory(): NslcmInventory {
  return { vnfcs: new Map(), vms: new Map(), vls: new Map(), cps: new Map(), aaiVservers: new Set() };
}

type Item = Record<string, unknown>;
const text = (o: Item, k: string): string => (typeof o[k] === 'string' ? o[k] : '');
const change = (o: Item): string => text(o, 'changeType').toUpperCase();
const items = (body: Item, k: string): Item[] => (Array.isArray(body[k]) ? (body[k] as Item[]) : []);

/** Applies one accepted Notify of VNF `nfInstId` to the tables. */
export function applyNotify(inv: NslcmInventory, nfInstId: string, body: Item): void {
  for (const v of items(body, 'affectedVnfc')) {
    const id = text(v, 'vnfcInstanceId');
    const vmId = text(v, 'vmId');
    if (change(v) === 'ADDED') {
      inv.vnfcs.set(id, { vnfcInstanceId: id, vduId: text(v, 'vduId'), vmId, nfInstId });
      inv.vms.set(vmId, { vmId, vimId: text(v, 'vimId'), vmName: text(v, 'vmName'), instId: nfInstId });
      inv.aaiVservers.add(vmId);
    } else if (change(v) === 'REMOVED') {
      const row = inv.vnfcs.get(id);
      if (row) inv.aaiVservers.delete(row.vmId);
      inv.vnfcs.delete(id);
    } else if (change(v) === 'MODIFIED') {
      const row = inv.vnfcs.get(id);
      if (row) row.vmId = vmId;
    }
  }
  for (const l of items(body, 'affectedVl')) {
    const id = text(l, 'vlInstanceId');
    if (change(l) === 'ADDED') inv.vls.set(id, { vlInstanceId: id, vldId: text(l, 'vldId'), ownerType: 'VNF', ownerId: nfInstId });
    else if (change(l) === 'REMOVED') inv.vls.delete(id);
  }
  for (const c of items(body, 'affectedCp')) {
    const id = text(c, 'cpInstanceId');
    const port = (c.portResource ?? {}) as Item;
    if (change(c) === 'ADDED')
      inv.cps.set(id, {
        cpInstanceId: id,
        cpdId: text(c, 'cpdId'),
        ownerId: nfInstId,
        virtualLinkInstanceId: text(c, 'virtualLinkInstanceId'),
        ipAddress: text(port, 'ipAddress'),
      });
    else if (change(c) === 'REMOVED') inv.cps.delete(id);
  }
}

/** The rows of one VNF: VM ids of its VNFC rows, IPs of its CP rows and ids of its VL rows, each sorted. */
export function rowsOf(inv: NslcmInventory, nfInstId: string): { vmIds: string[]; ips: string[]; vls: string[] } {
  return {
    vmIds: [...inv.vnfcs.values()]
      .filter((r) => r.nfInstId === nfInstId)
      .map((r) => r.vmId)
      .sort(),
    ips: [...inv.cps.values()]
      .filter((r) => r.ownerId === nfInstId)
      .map((r) => r.ipAddress)
      .sort(),
    vls: [...inv.vls.values()]
      .filter((r) => r.ownerType === 'VNF' && r.ownerId === nfInstId)
      .map((r) => r.vlInstanceId)
      .sort(),
  };
}
