import { validateNotifyBody } from '../../../src/standalone/notify-validator';

function buildBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { status: 'START', operation: 'Heal', affectedVnfc: [], affectedVl: [], affectedCp: [], affectedVirtualStorage: [], ...overrides };
}

describe('validateNotifyBody', () => {
  it('when the body has the four empty arrays and exact enums, then there is no problem, extra fields included', () => {
    expect(validateNotifyBody(buildBody({ extra: { anything: 1 } }))).toEqual([]);
  });

  it.each([
    ['operation Terminal', { operation: 'Terminal' }, 'operation: "Terminal" is not one of'],
    ['status missing', { status: undefined }, 'status: this field is required'],
    ['affectedVl not a list', { affectedVl: {} }, 'affectedVl: must be a list'],
    ['jobId a number', { jobId: 7 }, 'jobId: must be a string'],
    [
      'VL with a bad resourceType',
      { affectedVl: [{ changeType: 'ADDED', networkResource: { resourceType: 'vm' } }] },
      'affectedVl[0].networkResource.resourceType',
    ],
    [
      'CP with a numeric ipAddress',
      { affectedCp: [{ changeType: 'ADDED', portResource: { ipAddress: 10 } }] },
      'affectedCp[0].portResource.ipAddress: must be a string',
    ],
    ['VNFC without changeType', { affectedVnfc: [{ vmId: 'x' }] }, 'affectedVnfc[0].changeType: this field is required'],
  ])('when %s, then the problem names the field', (_name, overrides, expected) => {
    expect(validateNotifyBody(buildBody(overrides)).join('\n')).toContain(expected);
  });

  it('when the body is not an object, then that is the only problem', () => {
    expect(validateNotifyBody([])).toEqual(['body: must be a JSON object']);
  });
});
