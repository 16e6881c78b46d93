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
});
