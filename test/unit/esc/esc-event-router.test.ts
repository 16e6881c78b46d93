import { silentLog } from '../../../src/logging/log';
import { EscEventRouter } from '../../../src/esc/esc-event-router';

interface Ev {
  type: string;
  tenant?: string;
  depname?: string;
  resource?: string;
}

describe('EscEventRouter', () => {
  it("when an event names a watched deployment, then only that deployment's listeners get it", () => {
    const router = new EscEventRouter<Ev>({ log: silentLog });
    const a: Ev[] = [];
    const b: Ev[] = [];
    router.watch('t', 'a', (e) => a.push(e));
    router.watch('t', 'b', (e) => b.push(e));
    router.dispatch({ type: 'VM_ALIVE', tenant: 't', depname: 'a' });
    expect(a.map((e) => e.type)).toEqual(['VM_ALIVE']);
    expect(b).toHaveLength(0);
  });

  it('when a flavor or VIM connector event comes (no deployment), then the listener of that resource gets it', () => {
    const router = new EscEventRouter<Ev>({ log: silentLog });
    const flavor: Ev[] = [];
    const other: Ev[] = [];
    router.watch('', 'flavor/f1', (e) => flavor.push(e));
    router.watch('', 'flavor/f2', (e) => other.push(e));
    router.dispatch({ type: 'CREATE_FLAVOR', resource: 'flavor/f1' });
    router.dispatch({ type: 'CREATE_VIM_CONNECTOR', resource: 'vim_connector/v1' });
    expect(flavor.map((e) => e.type)).toEqual(['CREATE_FLAVOR']);
    expect(other).toHaveLength(0);
  });

  it('when a listener stops watching, then it gets no more events and the deployment is forgotten', () => {
    const router = new EscEventRouter<Ev>({ log: silentLog });
    const got: Ev[] = [];
    const stop = router.watch('t', 'a', (e) => got.push(e));
    stop();
    router.dispatch({ type: 'VM_ALIVE', tenant: 't', depname: 'a' });
    expect(got).toHaveLength(0);
    expect(router.watchedDeployments).toBe(0);
  });

  it('when ESC recovers a VM on its own, then the unsolicited handler gets it even with a job watching', () => {
    const unsolicited: Ev[] = [];
    const watched: Ev[] = [];
    const router = new EscEventRouter<Ev>({ log: silentLog, onUnsolicited: (e) => unsolicited.push(e) });
    router.watch('t', 'a', (e) => watched.push(e));
    router.dispatch({ type: 'VM_RECOVERY_COMPLETE', tenant: 't', depname: 'a' });
    router.dispatch({ type: 'VM_ALIVE', tenant: 't', depname: 'a' });
    expect(unsolicited.map((e) => e.type)).toEqual(['VM_RECOVERY_COMPLETE']);
    expect(watched.map((e) => e.type)).toEqual(['VM_RECOVERY_COMPLETE', 'VM_ALIVE']);
  });

  it('when a VM_ALIVE comes for a deployment no job waits on, then the unsolicited handler gets it (ESC monitor speaking)', () => {
    const unsolicited: Ev[] = [];
    const router = new EscEventRouter<Ev>({ log: silentLog, onUnsolicited: (e) => unsolicited.push(e) });
    const stop = router.watch('t', 'a', () => undefined);
    router.dispatch({ type: 'VM_ALIVE', tenant: 't', depname: 'b' });
    router.dispatch({ type: 'VM_DEPLOYED', tenant: 't', depname: 'b' });
    router.dispatch({ type: 'VM_ALIVE', tenant: 't', depname: 'a' });
    stop();
    router.dispatch({ type: 'VM_ALIVE', tenant: 't', depname: 'a' });
    router.dispatch({ type: 'VM_ALIVE', tenant: 't', depname: 'c' }, false);
    expect(unsolicited.map((e) => `${e.type} ${e.depname}`)).toEqual(['VM_ALIVE b', 'VM_ALIVE a']);
  });

  it('when another replica is responsible for the ESC, then events reach only the jobs waiting here, not the unsolicited handler nor the observer of the whole stream', () => {
    const unsolicited: Ev[] = [];
    const watched: Ev[] = [];
    const observed: Ev[] = [];
    const router = new EscEventRouter<Ev>({ log: silentLog, onUnsolicited: (e) => unsolicited.push(e), onEvent: (e) => observed.push(e) });
    router.watch('t', 'a', (e) => watched.push(e));
    expect([router.watches('t', 'a'), router.watches('t', 'b'), router.watches('u', 'a')]).toEqual([true, false, false]);
    router.dispatch({ type: 'VM_RECOVERY_COMPLETE', tenant: 't', depname: 'a' }, false);
    router.dispatch({ type: 'VM_SCALE_OUT_COMPLETE', tenant: 't', depname: 'b' }, false);
    expect(watched.map((e) => e.type)).toEqual(['VM_RECOVERY_COMPLETE']);
    expect(unsolicited).toEqual([]);
    expect(observed).toEqual([]);
    // Where it is responsible, the observer sees every event, watched or not.
    router.dispatch({ type: 'VM_ALIVE', tenant: 't', depname: 'b' });
    expect(observed.map((e) => e.type)).toEqual(['VM_ALIVE']);
  });

  it('when one listener throws, then the other listeners still get the event', () => {
    const router = new EscEventRouter<Ev>({ log: silentLog });
    const got: string[] = [];
    router.watch('t', 'a', () => {
      throw new Error('boom');
    });
    router.watch('t', 'a', (e) => got.push(e.type));
    router.dispatch({ type: 'SERVICE_ALIVE', tenant: 't', depname: 'a' });
    expect(got).toEqual(['SERVICE_ALIVE']);
  });
});
