import { inputCount, inputProblems, inputString, resolveHealingOwner, resolveTenant } from '../../../../src/esc/mapping/deployment-inputs';
import type { MappingProblem } from '../../../../src/esc/mapping/mapping-errors';

describe('instantiate input rules', () => {
  it.each([
    [{ 'vdu_a.min_active': -1 }, 'additionalParam.inputs.vdu_a.min_active'],
    [{ 'vdu_a.min_active': Number.POSITIVE_INFINITY }, 'additionalParam.inputs.vdu_a.min_active'],
    [{ 'vdu_a.bootup_time': 'NaN' }, 'additionalParam.inputs.vdu_a.bootup_time'],
    [{ 'vdu_a.bootup_time': 0 }, 'additionalParam.inputs.vdu_a.bootup_time'],
    [{ 'vdu_a.reboot_time': 86401 }, 'additionalParam.inputs.vdu_a.reboot_time'],
    [{ vdu_a: { max_active: 1.5 } }, 'additionalParam.inputs.vdu_a.max_active'],
    [{ vdu_a: { max_active: '1001' } }, 'additionalParam.inputs.vdu_a.max_active'],
    [{ 'vdu_a.image': { name: 'img' } }, 'additionalParam.inputs.vdu_a.image'],
    [{ 'vdu_a.flavor': 'm1\u0000large' }, 'additionalParam.inputs.vdu_a.flavor'],
    [{ 'vl.network': 'n'.repeat(256) }, 'additionalParam.inputs.vl.network'],
    [{ esc_tenant: ['t'] }, 'additionalParam.inputs.esc_tenant'],
    [{ esc_tenant: true }, 'additionalParam.inputs.esc_tenant'],
    [{ 'vdu_a.elastic': 'yes' }, 'additionalParam.inputs.vdu_a.elastic'],
    [{ vdu_a: { elastic: 1 } }, 'additionalParam.inputs.vdu_a.elastic'],
    [{ healingOwner: 'policy' }, 'additionalParam.inputs.healingOwner'],
    [{ healingOwner: true }, 'additionalParam.inputs.healingOwner'],
  ])('when inputs are %j, then the request is refused naming %s', (inputs, field) => {
    expect(inputProblems(inputs).map((p) => p.field)).toEqual([field]);
  });

  it('when inputs are well formed or not documented, then nothing is refused', () => {
    expect(
      inputProblems({
        'vdu_a.min_active': '2',
        vdu_a: { max_active: 5, image: 'img', bootup_time: 300, elastic: 'false' },
        'vdu_b.elastic': true,
        'vl.network': 7,
        esc_tenant: 'tenant-1',
        healingOwner: 'onap',
        'vdu_a.image': '',
        other_key: { anything: [1e300] },
        'x.unknown': -1,
      }),
    ).toEqual([]);
  });

  it('when the mapping reads inputs, then it applies the same rules and records the same reasons', () => {
    const inputs = { 'vdu_a.min_active': -1, vdu_a: { max_active: '3', image: ' img ' }, esc_tenant: 5 };
    const problems: MappingProblem[] = [];
    expect(inputCount(inputs, 'vdu_a', 'min_active', problems)).toBeUndefined();
    expect(inputCount(inputs, 'vdu_a', 'max_active', problems)).toBe(3);
    expect(inputString(inputs, 'vdu_a', 'image', problems)).toBe('img');
    expect(resolveTenant(inputs, 'granted')).toBe('5');
    expect(resolveTenant({ esc_tenant: '' }, 'granted')).toBe('granted');
    expect(problems.map((p) => p.message)).toEqual([inputProblems(inputs)[0].reason]);
  });

  it('when inputs name the healing owner, then it wins over the setting; absent, the setting holds', () => {
    expect(resolveHealingOwner({ healingOwner: 'onap' }, 'esc')).toBe('onap');
    expect(resolveHealingOwner({ healingOwner: 'esc' }, 'onap')).toBe('esc');
    expect(resolveHealingOwner({}, 'onap')).toBe('onap');
    expect(inputProblems({ healingOwner: 'x' })[0].reason).toBe("inputs 'healingOwner' must be one of esc, onap");
  });
});
