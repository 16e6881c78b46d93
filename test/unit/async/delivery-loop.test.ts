import { DeliveryLoop, type DeliveryLoopOptions, type DeliveryPass } from '../../../src/async/delivery-loop';
import { currentTrace, runTraced } from '../../../src/tracing/trace-context';

/** Lets timers due now and the promise chains they start run (fake timers, real setImmediate). */
async function settle(ms = 0): Promise<void> {
  jest.advanceTimersByTime(ms);
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A pass whose every run the test can see, end when it wants, and answer what it wants. */
function controlledPass(answer: () => number | undefined = () => undefined): DeliveryPass & {
  runs: number;
  running: number;
  most: number;
  signals: AbortSignal[];
  /** When set, each pass waits for this promise before answering. */
  gate?: Promise<void>;
} {
  const pass = Object.assign(
    async (signal: AbortSignal): Promise<number | undefined> => {
      pass.runs++;
      pass.running++;
      pass.most = Math.max(pass.most, pass.running);
      pass.signals.push(signal);
      try {
        if (pass.gate) await pass.gate;
        return answer();
      } finally {
        pass.running--;
      }
    },
    { runs: 0, running: 0, most: 0, signals: [] as AbortSignal[], gate: undefined as Promise<void> | undefined },
  );
  return pass;
}

function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('DeliveryLoop', () => {
  let loop: DeliveryLoop | undefined;
  const errors: unknown[] = [];

  const newLoop = (pass: DeliveryPass, extra: Partial<DeliveryLoopOptions> = {}): DeliveryLoop => {
    loop = new DeliveryLoop(pass, { idlePollMs: 1_000, stopTimeoutMs: 200, onError: (err) => errors.push(err), ...extra });
    return loop;
  };

  beforeEach(() => {
    errors.length = 0;
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'performance'] });
  });
  afterEach(async () => {
    const stopping = loop?.stop();
    await settle(1_000);
    await stopping;
    loop = undefined;
    jest.useRealTimers();
  });

  it('when started, then it passes at once and kicks made before that pass runs share it', async () => {
    const pass = controlledPass();
    const l = newLoop(pass);
    l.kick(); // not started: nothing
    await settle();
    expect(pass.runs).toBe(0);
    l.start();
    l.start();
    l.kick();
    l.kick();
    await settle();
    expect(pass.runs).toBe(1);
  });

  it('when the pass answers a delay, then the loop sleeps that long, never longer than the idle poll; undefined sleeps the idle poll', async () => {
    const answers = [300, 5_000, undefined, -50];
    const pass = controlledPass(() => answers.shift());
    newLoop(pass).start();
    await settle();
    expect(pass.runs).toBe(1);
    await settle(299);
    expect(pass.runs).toBe(1);
    await settle(1);
    expect(pass.runs).toBe(2); // after 300
    await settle(999);
    expect(pass.runs).toBe(2);
    await settle(1);
    expect(pass.runs).toBe(3); // 5 000 capped at the idle poll
    await settle(1_000);
    expect(pass.runs).toBe(4); // undefined: the idle poll
    await settle(0);
    expect(pass.runs).toBe(5); // a time already past: at once
    expect(jest.getTimerCount()).toBe(1);
  });

  it('when kicks come while a pass runs, then one more pass follows it, and never two run at once', async () => {
    const pass = controlledPass();
    const first = gate();
    pass.gate = first.promise;
    const l = newLoop(pass);
    l.start();
    await settle();
    expect(pass.running).toBe(1);
    l.kick();
    await settle();
    l.kick();
    await settle();
    expect(pass.runs).toBe(1);
    pass.gate = undefined;
    first.open();
    await settle();
    expect(pass.runs).toBe(2);
    expect(pass.most).toBe(1);
    await settle(999);
    expect(pass.runs).toBe(2);
  });

  it('when a kick comes during a pass that ends before its wake fires, then the pass after it is not put off to the idle poll', async () => {
    const pass = controlledPass();
    const kickingPass: DeliveryPass = async (signal) => {
      const answer = await pass(signal);
      if (pass.runs === 1) loop?.kick(); // e.g. a row stored while this pass read the store
      return answer;
    };
    newLoop(kickingPass).start();
    await settle();
    await settle(); // the kick's wake, due now
    expect(pass.runs).toBe(2);
    expect(jest.getTimerCount()).toBe(1);
  });

  it('when a pass fails, then the failure is reported and the loop passes again after the idle poll', async () => {
    let fail = true;
    const pass = controlledPass(() => {
      if (fail) throw new Error('store gone');
      return undefined;
    });
    newLoop(pass).start();
    await settle();
    expect(errors.map((e) => (e as Error).message)).toEqual(['store gone']);
    fail = false;
    await settle(999);
    expect(pass.runs).toBe(1);
    await settle(1);
    expect(pass.runs).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('when schedule is given, then each pass runs only in the turn handed to it', async () => {
    const tasks: Array<() => void> = [];
    const pass = controlledPass();
    newLoop(pass, { schedule: (task) => tasks.push(task) }).start();
    await settle();
    expect([tasks.length, pass.runs]).toEqual([1, 0]);
    tasks.shift()!();
    await settle();
    expect(pass.runs).toBe(1);
    await settle(1_000);
    expect([tasks.length, pass.runs]).toEqual([1, 1]);
  });

  it('when kicked from traced work, then the pass does not run in that trace', async () => {
    let seen: unknown = 'not run';
    const l = newLoop(() => {
      seen = currentTrace();
      return Promise.resolve(undefined);
    });
    runTraced({ requestId: 'req-1', fields: {} }, () => l.start());
    await settle();
    expect(seen).toBeUndefined();
  });

  it('when stopped during a pass, then stop waits for it; past the stop timeout it aborts its signal; no pass comes after', async () => {
    const pass = controlledPass();
    const slow = gate();
    pass.gate = slow.promise;
    const l = newLoop(pass);
    l.start();
    await settle();
    let stopped = false;
    const stopping = l.stop().then(() => (stopped = true));
    await settle(199);
    expect([stopped, pass.signals[0].aborted]).toEqual([false, false]);
    await settle(1);
    expect(pass.signals[0].aborted).toBe(true);
    expect(stopped).toBe(false); // still waits for the pass to end
    slow.open();
    await settle();
    await stopping;
    expect(stopped).toBe(true);
    l.kick();
    await settle(5_000);
    expect(pass.runs).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('when stopped while idle, then it resolves at once and leaves no timer', async () => {
    const pass = controlledPass();
    const l = newLoop(pass);
    l.start();
    await settle();
    await l.stop();
    expect(jest.getTimerCount()).toBe(0);
    expect(l.isRunning).toBe(false);
  });
});
