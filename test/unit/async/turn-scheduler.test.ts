import { TurnScheduler } from '../../../src/async/turn-scheduler';

/** Resolves after the check phase of the current event-loop iteration (where the scheduler's turns run). */
const nextIteration = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TurnScheduler', () => {
  it('when tasks are handed over, then none runs at once and they run in arrival order, one per iteration', async () => {
    const turns = new TurnScheduler({ onError: () => undefined });
    const ran: string[] = [];
    for (const name of ['a', 'b', 'c']) turns.schedule(() => ran.push(name));

    expect(ran).toEqual([]);
    expect(turns.waiting).toBe(3);
    await nextIteration();
    expect(ran).toEqual(['a']);
    await nextIteration();
    expect(ran).toEqual(['a', 'b']);
    await nextIteration();
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(turns.waiting).toBe(0);
  });

  it('when perIteration is 2, then two tasks run per iteration', async () => {
    const turns = new TurnScheduler({ perIteration: 2, onError: () => undefined });
    const ran: number[] = [];
    for (let i = 1; i <= 5; i++) turns.schedule(() => ran.push(i));

    await nextIteration();
    expect(ran).toEqual([1, 2]);
    await nextIteration();
    expect(ran).toEqual([1, 2, 3, 4]);
  });

  it('when a task starts promise work, then its continuations finish before the next task starts', async () => {
    const turns = new TurnScheduler({ onError: () => undefined });
    const ran: string[] = [];
    turns.schedule(() => {
      ran.push('a');
      void Promise.resolve()
        .then(() => ran.push('a continued'))
        .then(() => ran.push('a done'));
    });
    turns.schedule(() => ran.push('b'));

    await nextIteration();
    await nextIteration();
    expect(ran).toEqual(['a', 'a continued', 'a done', 'b']);
  });

  it('when a task hands over another one, then the new one waits behind those already waiting', async () => {
    const turns = new TurnScheduler({ onError: () => undefined });
    const ran: string[] = [];
    turns.schedule(() => {
      ran.push('a');
      turns.schedule(() => ran.push('from a'));
    });
    turns.schedule(() => ran.push('b'));

    for (let i = 0; i < 3; i++) await nextIteration();
    expect(ran).toEqual(['a', 'b', 'from a']);
  });

  it('when a task throws, then the error is told and the tasks after it still run', async () => {
    const errors: unknown[] = [];
    const turns = new TurnScheduler({ onError: (err) => errors.push(err) });
    const ran: string[] = [];
    turns.schedule(() => {
      throw new Error('boom');
    });
    turns.schedule(() => ran.push('after'));

    await nextIteration();
    await nextIteration();
    expect((errors as Error[]).map((e) => e.message)).toEqual(['boom']);
    expect(ran).toEqual(['after']);
  });

  it('when thousands of tasks pass through, then every one runs once, in order', async () => {
    const turns = new TurnScheduler({ perIteration: 64, onError: () => undefined });
    const ran: number[] = [];
    for (let i = 0; i < 3000; i++) turns.schedule(() => ran.push(i));
    while (turns.waiting > 0) await nextIteration();
    await nextIteration();

    expect(ran).toHaveLength(3000);
    expect(ran.every((v, i) => v === i)).toBe(true);
  });
  it('when requests and work wait, then each iteration runs the waiting requests first, up to requestsPerIteration, and one work task', async () => {
    const turns = new TurnScheduler({ requestsPerIteration: 2, onError: () => undefined });
    const ran: string[] = [];
    for (const name of ['w1', 'w2']) turns.schedule(() => ran.push(name));
    for (const name of ['r1', 'r2', 'r3']) turns.admit(() => ran.push(name));

    await nextIteration();
    expect(ran.slice().sort()).toEqual(['r1', 'r2', 'w1']);
    await nextIteration();
    expect(ran.slice(3).sort()).toEqual(['r3', 'w2']);
    expect(turns.waiting).toBe(0);
  });

  it('when a burst of requests arrives behind queued work, then every request runs before the work after the first task', async () => {
    const turns = new TurnScheduler({ requestsPerIteration: 4, onError: () => undefined });
    const ran: string[] = [];
    for (let i = 1; i <= 3; i++) turns.schedule(() => ran.push(`w${i}`));
    for (let i = 1; i <= 8; i++) turns.admit(() => ran.push(`r${i}`));
    while (turns.waiting > 0) await nextIteration();
    await nextIteration();

    expect(ran.filter((t) => t.startsWith('r'))).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8']);
    expect(ran.indexOf('r8')).toBeLessThan(ran.indexOf('w3'));
    expect(ran.indexOf('w2')).toBeGreaterThan(ran.indexOf('r4'));
  });

  it('when requests arrive while work is queued, then every iteration still runs a work task', async () => {
    const turns = new TurnScheduler({ requestsPerIteration: 2, onError: () => undefined });
    const ran: string[] = [];
    turns.admit(() => {
      ran.push('r1');
      for (const name of ['w1', 'w2', 'w3', 'w4']) turns.schedule(() => ran.push(name));
    });

    await nextIteration();
    expect(ran).toEqual(['r1']);
    await nextIteration();
    expect(ran).toEqual(['r1', 'w1']);
    turns.admit(() => ran.push('r2'));
    await nextIteration();
    expect(ran.slice(2).sort()).toEqual(['r2', 'w2']);
  });

  it('when a request task throws, then the error is told and the tasks after it still run', async () => {
    const errors: unknown[] = [];
    const turns = new TurnScheduler({ onError: (err) => errors.push(err) });
    const ran: string[] = [];
    turns.admit(() => {
      throw new Error('bad request');
    });
    turns.admit(() => ran.push('next request'));
    turns.schedule(() => ran.push('work'));

    await nextIteration();
    expect((errors as Error[]).map((e) => e.message)).toEqual(['bad request']);
    expect(ran.sort()).toEqual(['next request', 'work']);
  });
});
