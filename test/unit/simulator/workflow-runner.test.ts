import type { EscEvent } from '../../../src/simulator/esc-event-writer';
import { FaultBook } from '../../../src/simulator/fault-book';
import { ZERO_DELAYS } from '../../../src/simulator/simulator';
import type { SimulatorDelays } from '../../../src/simulator/simulator-types';
import { WorkflowRunner, type Job, type Step } from '../../../src/simulator/workflow-runner';

const event = (type: string, ok = true): EscEvent => ({
  type,
  status: ok ? 'SUCCESS' : 'FAILURE',
  statusCode: ok ? 200 : 500,
  message: type,
});
const step = (type: string, delay: keyof SimulatorDelays = 'service'): Step => ({
  type,
  delay,
  ok: () => event(type),
  fail: (m) => ({ ...event(type, false), message: m ?? type }),
});
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await tick();
}

function setup(delays: Partial<SimulatorDelays> = {}) {
  const emitted: EscEvent[] = [];
  const faults = new FaultBook();
  const runner = new WorkflowRunner({ ...ZERO_DELAYS, ...delays }, faults, (e) => emitted.push(e));
  const types = (): string[] => emitted.map((e) => (e.status === 'SUCCESS' ? e.type : `${e.type}:FAILURE:${e.message}`));
  return { runner, faults, types, emitted };
}

describe('WorkflowRunner', () => {
  afterEach(() => jest.useRealTimers());

  it('when a job runs with zero delays, then its steps emit in order, asynchronously, and finish is called once', async () => {
    const { runner, types } = setup();
    const finish = jest.fn();
    runner.start({ steps: [step('A'), step('B'), step('C')], finish });
    expect(types()).toEqual([]);
    await settle();
    expect(types()).toEqual(['A', 'B', 'C']);
    expect(finish).toHaveBeenCalledTimes(1);
    expect(runner.activeJobs).toBe(0);
  });

  it('when a step reports no event, then nothing is emitted for it and the job goes on', async () => {
    const { runner, types } = setup();
    runner.start({ steps: [{ ...step('A'), ok: () => undefined }, step('B')] });
    await settle();
    expect(types()).toEqual(['B']);
  });

  it('when a middle step fails by fault, then its FAILURE and the abort event are sent and the rest is skipped', async () => {
    const { runner, faults, types } = setup();
    faults.add({ kind: 'fail-at', step: 'B', message: 'no luck' });
    const abort = jest.fn((failed: Step, message?: string) => event(`ABORT-${failed.type}-${message}`, false));
    const finish = jest.fn();
    runner.start({ deployment: 'd', steps: [step('A'), step('B'), step('C')], abort, finish });
    await settle();
    expect(types()).toEqual(['A', 'B:FAILURE:no luck', 'ABORT-B-no luck:FAILURE:ABORT-B-no luck']);
    expect(finish).toHaveBeenCalledTimes(1);
  });

  it('when the final step fails, then only its FAILURE is sent, without abort', async () => {
    const { runner, faults, types } = setup();
    faults.add({ kind: 'fail-at' });
    const abort = jest.fn();
    runner.start({ steps: [step('A'), step('FINAL')], abort });
    await settle();
    expect(types()).toEqual(['A', 'FINAL:FAILURE:FINAL']);
    expect(abort).not.toHaveBeenCalled();
  });

  it('when a step never finishes, then the job stays active without further events or finish', async () => {
    const { runner, faults, types } = setup();
    faults.add({ kind: 'never-finish', step: 'B' });
    const finish = jest.fn();
    runner.start({ steps: [step('A'), step('B'), step('C')], finish });
    await settle();
    expect(types()).toEqual(['A']);
    expect(runner.activeJobs).toBe(1);
    expect(finish).not.toHaveBeenCalled();
  });

  it('when a job is cancelled by key, then its remaining steps are dropped without finish; other jobs go on', async () => {
    const { runner, types } = setup();
    const finish = jest.fn();
    runner.start({ key: 'k1', steps: [step('A1'), step('B1')], finish });
    runner.start({ key: 'k2', steps: [step('A2'), step('B2')] });
    runner.cancel('k1');
    await settle();
    expect(types()).toEqual(['A2', 'B2']);
    expect(finish).not.toHaveBeenCalled();
  });

  it('when a job is cancelled after it started, then it stops there and a new job under the same key runs', async () => {
    const { runner, types } = setup();
    runner.start({ key: 'k1', steps: [step('A1'), step('B1'), step('C1')] });
    runner.start({ key: 'k2', steps: [step('A2'), step('B2'), step('C2')] });
    await tick();
    const before = types().length;
    runner.cancel('k1');
    runner.cancel('unknown');
    runner.start({ key: 'k1', steps: [step('X1')] });
    await settle();
    expect(
      types()
        .slice(before)
        .filter((t) => t.endsWith('1')),
    ).toEqual(['X1']);
    expect(types().filter((t) => t.endsWith('2'))).toEqual(['A2', 'B2', 'C2']);
    expect(runner.activeJobs).toBe(0);
  });

  it('when jobs run together with zero delays, then they take turns step by step', async () => {
    const { runner, types } = setup();
    runner.start({ steps: [step('A1'), step('B1'), step('C1')] });
    runner.start({ steps: [step('A2'), step('B2')] });
    await settle();
    expect(types()).toEqual(['A1', 'A2', 'B1', 'B2', 'C1']);
  });

  it('when a step has a delay, then it runs only once that time has passed', () => {
    jest.useFakeTimers();
    const { runner, types } = setup({ vmAlive: 100 });
    runner.start({ steps: [step('VM_ALIVE', 'vmAlive'), step('SERVICE_ALIVE')] });
    jest.advanceTimersByTime(99);
    expect(types()).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(types()).toEqual(['VM_ALIVE']);
    jest.advanceTimersByTime(1);
    expect(types()).toEqual(['VM_ALIVE', 'SERVICE_ALIVE']);
  });

  it('when the runner is stopped, then pending steps are dropped and new jobs ignored', () => {
    jest.useFakeTimers();
    const { runner, types } = setup({ vmAlive: 100 });
    runner.start({ steps: [step('VM_ALIVE', 'vmAlive')] });
    runner.start({ steps: [step('NOW')] });
    runner.stop();
    runner.start({ steps: [step('LATER')] });
    jest.advanceTimersByTime(1000);
    expect(types()).toEqual([]);
    expect(runner.activeJobs).toBe(0);
  });

  it('when more than 2000 zero-delay steps are ready, then they run 2000 per turn of the event loop', async () => {
    const { runner, emitted } = setup();
    const jobs: Job[] = Array.from({ length: 2500 }, (_, i) => ({ steps: [step(`S${i}`)] }));
    jobs.forEach((j) => runner.start(j));
    await tick();
    expect(emitted).toHaveLength(2000);
    await tick();
    expect(emitted).toHaveLength(2500);
    expect(emitted[2499].type).toBe('S2499');
  });
});
