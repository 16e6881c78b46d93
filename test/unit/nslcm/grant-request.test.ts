import { buildGrantRequest } from '../../../src/nslcm/grant-request';

describe('buildGrantRequest', () => {
  const base = {
    vnfInstanceId: 'vnf-1',
    vnfDescriptorId: 'vnfd-1',
    operation: 'Instantiate' as const,
    jobId: 'job-1',
    vnfmId: 'vnfm-1',
    vim: { cloudOwner: 'CloudOwner', cloudRegionId: 'RegionOne' },
  };

  it('when VMs are to be created, then there is one VDU addResource per VM and an empty removeResource', () => {
    let n = 0;
    const req = buildGrantRequest(
      { ...base, add: [{ vdu: 'vdu_a' }, { vdu: 'vdu_a' }, { vdu: 'vdu_b', resourceDefinitionId: 'r9' }] },
      () => `id${++n}`,
    );
    expect(req.addResource).toEqual([
      { type: 'VDU', vdu: 'vdu_a', resourceDefinitionId: 'id1' },
      { type: 'VDU', vdu: 'vdu_a', resourceDefinitionId: 'id2' },
      { type: 'VDU', vdu: 'vdu_b', resourceDefinitionId: 'r9' },
    ]);
    expect(req.removeResource).toEqual([]);
    expect(req.lifecycleOperation).toBe('Instantiate');
  });

  it('when built, then additionalParam holds only strings and vimid is the JSON of the VIM', () => {
    const req = buildGrantRequest({ ...base, operation: 'Terminate', remove: [{ vdu: 'vdu_a' }] });
    for (const v of Object.values(req.additionalParam)) expect(typeof v).toBe('string');
    expect(JSON.parse(req.additionalParam.vimid)).toEqual({ cloud_owner: 'CloudOwner', cloud_regionid: 'RegionOne' });
    expect(req.additionalParam.vnfmid).toBe('vnfm-1');
    expect(req.vimId).toEqual({ cloud_owner: 'CloudOwner', cloud_regionid: 'RegionOne' });
    expect(req.removeResource).toHaveLength(1);
    expect(req.addResource).toEqual([]);
  });

  it('when no resourceDefinitionId is given, then each one is a distinct UUID', () => {
    const req = buildGrantRequest({ ...base, add: [{ vdu: 'a' }, { vdu: 'a' }] });
    const [x, y] = req.addResource.map((r) => r.resourceDefinitionId);
    expect(x).toMatch(/^[0-9a-f-]{36}$/);
    expect(x).not.toBe(y);
  });
});
