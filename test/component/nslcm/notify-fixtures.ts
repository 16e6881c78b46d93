import type { NotifyBody } from '../../../src/nslcm/nslcm-types';

/** A valid RESULT Notify for an instantiation that created one VM, overridable per test. */
export function buildNotifyBody(overrides: Partial<NotifyBody> = {}): NotifyBody {
  return {
    status: 'RESULT',
    operation: 'Instantiate',
    jobId: 'job-1',
    affectedVnfc: [
      { vnfcInstanceId: 'vnfc-1', vduId: 'vdu_ctrl', changeType: 'ADDED', vimId: 'CloudOwner_RegionOne', vmId: 'vm-1', vmName: 'ctrl-0' },
    ],
    affectedVl: [
      {
        vlInstanceId: 'vl-1',
        vldId: 'vl_mgmt',
        changeType: 'ADDED',
        networkResource: { resourceType: 'network', resourceId: 'net-1', resourceName: 'mgmt' },
      },
    ],
    affectedCp: [
      {
        changeType: 'ADDED',
        cpInstanceId: 'cp-1',
        cpdId: 'cp_ctrl_mgmt',
        ownerType: '3',
        ownerId: 'vnfc-1',
        virtualLinkInstanceId: 'vl-1',
        portResource: {
          vimId: 'CloudOwner_RegionOne',
          resourceId: 'port-1',
          resourceName: 'p1',
          tenant: 't',
          ipAddress: '10.0.0.2',
          macAddress: 'fa:16:3e:00:00:01',
          instId: 'vm-1',
        },
      },
    ],
    affectedVirtualStorage: [],
    ...overrides,
  };
}
