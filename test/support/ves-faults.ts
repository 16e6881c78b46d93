import type { VesFault } from '../../src/ves/ves-port';

/** A MAJOR fault of a VM of VNF vnf-1, its alarm condition as its problem; `extra` changes any field. */
export function vesFault(sourceName: string, alarmCondition: string, extra: Partial<VesFault> = {}): VesFault {
  return {
    kind: 'fault',
    sourceName,
    eventSourceType: 'virtualMachine',
    vnfInstanceId: 'vnf-1',
    vnfType: 'vFW',
    alarmCondition,
    specificProblem: alarmCondition,
    severity: 'MAJOR',
    vfStatus: 'Active',
    eventTimeMs: 1_700_000_000_000,
    details: {},
    ...extra,
  };
}
