import { applyNotifyDialect, mapChangeType, mapOperation, mapStatus } from '../../../src/nslcm/enum-dialect';
import type { NotifyBody } from '../../../src/nslcm/nslcm-types';

const body: NotifyBody = {
  status: 'RESULT',
  operation: 'Scaleout',
  jobId: 'j1',
  affectedVnfc: [{ vnfcInstanceId: 'c1', vduId: 'd', changeType: 'ADDED', vimId: 'o_r', vmId: 'vm', vmName: 'n' }],
  affectedVl: [{ vlInstanceId: 'l1', vldId: 'vl', changeType: 'MODIFIED', networkResource: { resourceType: 'network', resourceId: 'n1' } }],
  affectedCp: [{ changeType: 'REMOVED', cpInstanceId: 'cp1', cpdId: 'cpd' }],
  affectedVirtualStorage: [],
};

describe('enum dialect', () => {
  it.each([
    ['START', 'uppercase', 'START'],
    ['START', 'lowercase', 'start'],
    ['RESULT', 'lowercase', 'result'],
  ] as const)('when status %s is mapped to %s, then it reads %s', (s, d, out) => {
    expect(mapStatus(s, d)).toBe(out);
  });

  it.each([
    ['ADDED', 'added'],
    ['REMOVED', 'removed'],
    ['MODIFIED', 'modified'],
    ['TEMPORARY', 'temporary'],
  ] as const)('when changeType %s is mapped to lowercase, then it reads %s', (c, out) => {
    expect(mapChangeType(c, 'lowercase')).toBe(out);
    expect(mapChangeType(c, 'uppercase')).toBe(c);
  });

  it('when an operation is mapped in either dialect, then its spelling is kept', () => {
    expect(mapOperation('Scaleout', 'lowercase')).toBe('Scaleout');
    expect(mapOperation('Instantiate', 'uppercase')).toBe('Instantiate');
  });

  it('when a whole Notify is mapped to lowercase, then status and every changeType are lowercase and the input is unchanged', () => {
    const out = applyNotifyDialect(body, 'lowercase');
    expect(out.status).toBe('result');
    expect(out.operation).toBe('Scaleout');
    expect([out.affectedVnfc[0].changeType, out.affectedVl[0].changeType, out.affectedCp[0].changeType]).toEqual([
      'added',
      'modified',
      'removed',
    ]);
    expect(body.affectedVnfc[0].changeType).toBe('ADDED');
    expect(applyNotifyDialect(body, 'uppercase')).toEqual(body);
  });
});
