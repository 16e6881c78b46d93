import { parseVnfdModel } from '../../../src/esc/mapping/vnfd-parser';
import { aspectIndexOf, planScale, ScalePlanError, type ScalePlanInput } from '../../../src/lifecycle/scale-plan';
import { readFixture } from '../esc/mapping/golden';

function buildScaleInput(overrides: Partial<ScalePlanInput> = {}): ScalePlanInput {
  return {
    aspectId: 'fw_scale',
    type: 'SCALE_OUT',
    numberOfSteps: 1,
    groups: { 'vnf-fw': { vduId: 'vdu_fw', nics: {} }, 'vnf-lb': { vduId: 'vdu_lb', nics: {} } },
    bounds: { 'vnf-fw': { min: 1, max: 4 }, 'vnf-lb': { min: 1 } },
    counts: { 'vnf-fw': 2, 'vnf-lb': 1 },
    aspect: { vduIds: ['vdu_fw'], stepDeltas: { vdu_fw: 1 } },
    ...overrides,
  };
}

describe('planScale', () => {
  it.each<[string, Partial<ScalePlanInput>, [string, number, number][]]>([
    ['one step out by a VNFD aspect', {}, [['vnf-fw', 2, 3]]],
    ['two steps out', { numberOfSteps: 2 }, [['vnf-fw', 2, 4]]],
    ['one step in', { type: 'SCALE_IN' }, [['vnf-fw', 2, 1]]],
    ['a step of 2 VMs', { aspect: { vduIds: ['vdu_fw'], stepDeltas: { vdu_fw: 2 } } }, [['vnf-fw', 2, 4]]],
    ['an aspect named by a VDU id', { aspectId: 'vdu_lb', aspect: undefined }, [['vnf-lb', 1, 2]]],
    ['an aspect named by a vm_group', { aspectId: 'vnf-lb', aspect: undefined }, [['vnf-lb', 1, 2]]],
    [
      'an aspect over two VDUs',
      { aspect: { vduIds: ['vdu_fw', 'vdu_lb'] } },
      [
        ['vnf-fw', 2, 3],
        ['vnf-lb', 1, 2],
      ],
    ],
    ['out from an opdata count above the minimum', { counts: { 'vnf-fw': 3 } }, [['vnf-fw', 3, 4]]],
  ])('when scaling %s, then each group goes from its opdata count to the planned one', (_what, overrides, expected) => {
    expect(planScale(buildScaleInput(overrides)).map((c) => [c.vmGroup, c.current, c.target])).toEqual(expected);
  });

  it.each<[string, Partial<ScalePlanInput>, string]>([
    [
      'past the maximum',
      { numberOfSteps: 3 },
      'cannot scale out aspect fw_scale by 3 step(s): VM group vnf-fw would have 5 VM(s), outside its bounds 1..4 (now 2)',
    ],
    [
      'below the minimum',
      { type: 'SCALE_IN', numberOfSteps: 2 },
      'cannot scale in aspect fw_scale by 2 step(s): VM group vnf-fw would have 0 VM(s), outside its bounds 1..4 (now 2)',
    ],
    [
      'below zero without bounds',
      { type: 'SCALE_IN', numberOfSteps: 3, bounds: {} },
      'cannot scale in aspect fw_scale by 3 step(s): VM group vnf-fw would have -1 VM(s), outside its bounds 0..∞ (now 2)',
    ],
    ['an unknown aspect', { aspectId: 'nope', aspect: undefined }, 'aspect nope names no VM group of this VNF (groups: vdu_fw, vdu_lb)'],
    [
      'an aspect naming only VDUs without a vm_group',
      { aspectId: 'nope', aspect: { vduIds: ['vdu_gone'] } },
      'aspect nope names no VM group of this VNF (groups: vdu_fw, vdu_lb)',
    ],
  ])('when scaling %s, then throws a ScalePlanError saying so', (_what, overrides, message) => {
    expect(() => planScale(buildScaleInput(overrides))).toThrow(new ScalePlanError(message));
  });

  it('when a group has no upper bound, then scale-out is not limited', () => {
    expect(planScale(buildScaleInput({ aspectId: 'vdu_lb', aspect: undefined, numberOfSteps: 10 }))).toEqual([
      { vmGroup: 'vnf-lb', vduId: 'vdu_lb', current: 1, target: 11 },
    ]);
  });
});

describe('aspectIndexOf', () => {
  it('when given the two-VDU VNFD, then each aspect keeps its VDUs and step sizes, ready to plan a scale from the record', () => {
    const index = aspectIndexOf(parseVnfdModel(readFixture('vnfd-two-vdus.json')));
    expect(index).toEqual({ fw_scale: { vduIds: ['vdu_fw'], stepDeltas: { vdu_fw: 1 } } });
    const kept = JSON.parse(JSON.stringify(index)) as typeof index;
    const changes = planScale(buildScaleInput({ numberOfSteps: 2, aspect: kept.fw_scale }));
    expect(changes).toEqual([{ vmGroup: 'vnf-fw', vduId: 'vdu_fw', current: 2, target: 4 }]);
  });
});
