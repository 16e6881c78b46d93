import { JobWrites } from '../../../src/lifecycle/job-writes';

const later = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('JobWrites', () => {
  it('when writes are pushed without waiting, then each starts after the one before it settled, in call order', async () => {
    const writes = new JobWrites();
    const log: string[] = [];
    const write = (name: string, ms: number) => async (): Promise<string> => {
      log.push(`${name} start`);
      await later(ms);
      log.push(`${name} end`);
      return name;
    };
    const first = writes.push(write('a', 30));
    void writes.push(write('b', 1));
    const third = writes.push(write('c', 10));

    expect(await third).toBe('c');
    expect(await first).toBe('a');
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('when a write fails, then the next ones still run and flush rejects with the first failure while drain resolves', async () => {
    const writes = new JobWrites();
    const ran: string[] = [];
    const failed = writes.push(() => Promise.reject(new Error('store down')));
    void writes.push(() => Promise.reject(new Error('second failure')));
    const after = writes.push(async () => {
      await later(1);
      ran.push('after');
    });

    await expect(failed).rejects.toThrow('store down');
    await after;
    expect(ran).toEqual(['after']);
    await expect(writes.drain()).resolves.toBeUndefined();
    await expect(writes.flush()).rejects.toThrow('store down');
  });
});
