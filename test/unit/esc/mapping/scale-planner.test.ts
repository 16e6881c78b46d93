import { planScale, ScaleError, type PlanScaleInput, type ScaleGroupState } from '../../../../src/esc/mapping';

function buildGroup(overrides: Partial<ScaleGroupState> = {}): ScaleGroupState {
  return { vmGroup: 'vdu_fw', vduId: 'vdu_fw', minActive: 2, maxActive: 2, bounds: { min: 1, max: 4 }, ...overrides };
}

function buildScaleInput(overrides: Partial<PlanScaleInput> = {}): PlanScaleInput {
  return {
    aspectId: 'fw_scale',
    type: 'SCALE_OUT',
    numberOfSteps: 1,
    groups: [buildGroup(), buildGroup({ vmGroup: 'vdu_lb', vduId: 'vdu_lb', minActive: 1, maxActive: 1, bounds: { min: 1 } })],
    aspects: [{ aspectId: 'fw_scale', vduIds: ['vdu_fw'], stepDeltas: { vdu_fw: 1 } }],
    ...overrides,
  };
}

describe('planScale', () => {
  it.each<[string, Partial<PlanScaleInput>, [string, number, number, number][]]>([
    ['one step out by a VNFD aspect', {}, [['vdu_fw', 3, 3, 1]]],
    ['two steps out given as a string', { numberOfSteps: '2' }, [['vdu_fw', 4, 4, 2]]],
    ['one step in, lower case type', { type: 'scale_in' }, [['vdu_fw', 1, 1, -1]]],
    ['a step of 2 VMs', { aspects: [{ aspectId: 'fw_scale', vduIds: ['vdu_fw'], stepDeltas: { vdu_fw: 2 } }] }, [['vdu_fw', 4, 4, 2]]],
    ['an aspect named by a VDU id', { aspectId: 'vdu_lb', aspects: [] }, [['vdu_lb', 2, 2, 1]]],
    ['a mapping from the request, over two VDUs', { aspectId: 'both', aspectMapping: { both: ['vdu_fw', 'vdu_lb'] } }, [['vdu_fw', 3, 3, 1], ['vdu_lb', 2, 2, 1]]],
    ['out from an opdata count above min_active', { groups: [buildGroup({ maxActive: 4 })], currentCounts: { vdu_fw: 3 } }, [['vdu_fw', 4, 4, 1]]],
    ['in with elastic headroom', { type: 'SCALE_IN', groups: [buildGroup({ minActive: 2, maxActive: 4 })], currentCounts: { vdu_fw: 3 } }, [['vdu_fw', 2, 2, -1]]],
  ])('when scaling %s, then min/max/delta are as planned', (_what, overrides, expected) => {
    const plan = planScale(buildScaleInput(overrides));
    expect(plan.map((p) => [p.vmGroup, p.minActive, p.maxActive, p.delta])).toEqual(expected);
  });

  it.each<[string, Partial<PlanScaleInput>, string]>([
    ['past the maximum', { numberOfSteps: 3 }, 'scaling out vm_group vdu_fw (VDU vdu_fw) by 3 VM(s) from 2 would reach 5 VMs, above its maximum of 4'],
    ['below the minimum', { type: 'SCALE_IN', numberOfSteps: 2 }, 'scaling in vm_group vdu_fw (VDU vdu_fw) by 2 VM(s) from 2 would leave 0 VMs, below its minimum of 1'],
    ['an unknown aspect', { aspectId: 'nope' }, 'unknown aspect nope: not a scaling aspect of the VNFD nor a VDU (known: fw_scale, vdu_fw, vdu_lb)'],
    ['an aspect naming a VDU without vm_group', { aspectMapping: { fw_scale: 'vdu_gone' } }, 'aspect fw_scale names VDU vdu_gone, which has no vm_group in this deployment'],
    ['zero steps', { numberOfSteps: '0' }, 'numberOfSteps 0 is not a positive integer'],
    ['a fractional step count', { numberOfSteps: '1.5' }, 'numberOfSteps 1.5 is not a positive integer'],
    ['an unknown type', { type: 'SCALE_UP' }, 'scale type SCALE_UP is neither SCALE_OUT nor SCALE_IN'],
  ])('when scaling %s, then throws a ScaleError saying so', (_what, overrides, message) => {
    expect(() => planScale(buildScaleInput(overrides))).toThrow(new ScaleError(message, { aspectId: 'fw_scale' }));
  });

  it('when a group has no upper bound, then scale-out is not limited', () => {
    const plan = planScale(buildScaleInput({ aspectId: 'vdu_lb', numberOfSteps: 10 }));
    expect(plan[0]).toMatchObject({ vmGroup: 'vdu_lb', minActive: 11, maxActive: 11, targetCount: 11 });
  });

  it('when the bounds are crossed, then the error says which group', () => {
    try {
      planScale(buildScaleInput({ numberOfSteps: 3 }));
      throw new Error('expected a ScaleError');
    } catch (err) {
      expect(err).toBeInstanceOf(ScaleError);
      expect((err as ScaleError).context).toEqual({ aspectId: 'fw_scale', vmGroup: 'vdu_fw', vduId: 'vdu_fw' });
    }
  });
});
