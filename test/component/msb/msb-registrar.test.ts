import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { silentLog } from '../../../src/logging/log';
import { MsbRegistrar, type MsbRegistrarOptions } from '../../../src/msb';
import { FakeMsb } from '../../support/fake-msb';
import { recordingLog, type Logged } from '../../support/recording-log';

const SERVICES = '/api/microservices/v1/services';
const ONE = `${SERVICES}/ciscovnfmdriver/version/v1`;
const OUR_NODE = `${ONE}/nodes/10.0.0.7/8480`;

function buildRegistrar(msb: FakeMsb, overrides: Partial<MsbRegistrarOptions> = {}): MsbRegistrar {
  return new MsbRegistrar({
    msbUrl: msb.url,
    serviceName: 'ciscovnfmdriver',
    ip: '10.0.0.7',
    port: 8480,
    httpTimeoutMs: 500,
    retry: { initialMs: 20, maxMs: 80 },
    checkIntervalMs: 30,
    log: silentLog,
    ...overrides,
  });
}

describe('MsbRegistrar against a fake MSB', () => {
  let msb: FakeMsb;
  let registrar: MsbRegistrar | undefined;

  afterEach(async () => {
    await registrar?.stop();
    registrar = undefined;
    await msb.down();
  });

  it('when it registers, then the payload is exactly the contract body', async () => {
    msb = await FakeMsb.start();
    registrar = buildRegistrar(msb);
    registrar.start();
    await msb.waitFor(() => registrar!.isRegistered(), 2000, 'registered');

    expect(msb.callsOf('POST', SERVICES)[0].body).toStrictEqual({
      serviceName: 'ciscovnfmdriver',
      version: 'v1',
      url: '/api/ciscovnfmdriver/v1',
      protocol: 'REST',
      visualRange: '1',
      nodes: [{ ip: '10.0.0.7', port: '8480', ttl: 0 }],
    });
  });

  it("when it registers, checks and deregisters, then each call carries ONAP's tracing headers with a fresh invocation id", async () => {
    msb = await FakeMsb.start();
    registrar = buildRegistrar(msb);
    registrar.start();
    await msb.waitFor(() => msb.callsOf('GET', ONE).length >= 1, 2000, 'a check');
    await registrar.stop();
    registrar = undefined;

    const calls = [msb.callsOf('POST', SERVICES)[0], msb.callsOf('GET', ONE)[0], msb.callsOf('DELETE', OUR_NODE)[0]];
    for (const call of calls) {
      expect(call.headers['x-onap-partnername']).toBe('ciscovnfmdriver');
      expect(call.headers['x-onap-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(calls.map((c) => c.headers['x-invocationid'])).size).toBe(3);
  });

  it('when MSB comes up after the driver, then registration is retried until it succeeds', async () => {
    msb = await FakeMsb.start({ startDown: true });
    registrar = buildRegistrar(msb);
    registrar.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(registrar.isRegistered()).toBe(false);

    await msb.up();
    await msb.waitFor(() => registrar!.isRegistered(), 2000, 'registered after MSB came up');

    expect(msb.services.has('ciscovnfmdriver')).toBe(true);
  });

  it('when MSB refuses at first, then the pauses between attempts grow up to the maximum', async () => {
    msb = await FakeMsb.start();
    await msb.down();
    const tried: number[] = [];
    const origin = Date.now();
    registrar = buildRegistrar(msb, {
      retry: { initialMs: 20, maxMs: 80 },
      log: {
        ...silentLog,
        warn: () => tried.push(Date.now() - origin),
        child() {
          return this;
        },
      },
    });
    registrar.start();
    await new Promise((resolve) => setTimeout(resolve, 450));

    const gaps = tried.slice(1).map((t, i) => t - tried[i]);
    expect(gaps.length).toBeGreaterThanOrEqual(4);
    expect(gaps[0]).toBeLessThan(gaps[2]);
    expect(Math.max(...gaps)).toBeLessThan(80 + 60);
  });

  it('when MSB forgets the registration, then the driver registers again', async () => {
    msb = await FakeMsb.start();
    registrar = buildRegistrar(msb);
    registrar.start();
    await msb.waitFor(() => msb.services.has('ciscovnfmdriver'), 2000, 'first registration');

    msb.forget();
    await msb.waitFor(() => msb.callsOf('POST', SERVICES).length >= 2, 2000, 'second registration');

    expect(msb.callsOf('GET', ONE).length).toBeGreaterThanOrEqual(1);
    await msb.waitFor(() => msb.services.has('ciscovnfmdriver'), 2000, 'registered again');
  });

  it('when MSB restarts empty, then the driver stays ready while it is down and registers again after', async () => {
    msb = await FakeMsb.start();
    registrar = buildRegistrar(msb);
    registrar.start();
    await msb.waitFor(() => registrar!.isRegistered(), 2000, 'registered');

    await msb.down();
    msb.forget();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(registrar.isRegistered()).toBe(true);
    await msb.up();

    await msb.waitFor(() => msb.services.has('ciscovnfmdriver'), 2000, 'registered after restart');
  });

  it('when stopped, then it deletes its own node, and the service goes with its last node', async () => {
    msb = await FakeMsb.start();
    const gauge: number[] = [];
    registrar = buildRegistrar(msb, { metrics: { msbRegistered: { set: (v) => gauge.push(v) } } });
    registrar.start();
    await msb.waitFor(() => registrar!.isRegistered(), 2000, 'registered');

    await expect(registrar.stop()).resolves.toBeUndefined();

    expect(msb.callsOf('DELETE').map((c) => c.path)).toEqual([OUR_NODE]);
    expect(msb.services.size).toBe(0);
    expect(registrar.isRegistered()).toBe(false);
    expect(gauge).toEqual([0, 1, 0]);
  });

  it('when MSB answers the node DELETE with 500 but removed the node, then one look-up confirms it and the stop is logged as done', async () => {
    msb = await FakeMsb.start();
    msb.nodeDeleteAnswers500 = 'after-delete';
    const lines: Logged[] = [];
    registrar = buildRegistrar(msb, { log: recordingLog(lines) });
    registrar.start();
    await msb.waitFor(() => registrar!.isRegistered(), 2000, 'registered');
    const looksBefore = msb.callsOf('GET', ONE).length;

    await registrar.stop();

    expect(msb.callsOf('GET', ONE).length).toBe(looksBefore + 1);
    expect(lines.filter((l) => l.level === 'info').map((l) => l.message)).toContain(
      'deregistered from MSB (MSB answered 500 but no longer lists the node)',
    );
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('when MSB answers the node DELETE with 500 and still lists the node, then the failure is logged as a warning', async () => {
    msb = await FakeMsb.start();
    msb.nodeDeleteAnswers500 = 'instead';
    const lines: Logged[] = [];
    registrar = buildRegistrar(msb, { log: recordingLog(lines) });
    registrar.start();
    await msb.waitFor(() => registrar!.isRegistered(), 2000, 'registered');

    await registrar.stop();

    expect(msb.nodesOf('ciscovnfmdriver')).toEqual(['10.0.0.7:8480']);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(['MSB deregistration failed']);
  });

  it('when stopped, then no further calls reach MSB', async () => {
    msb = await FakeMsb.start();
    registrar = buildRegistrar(msb);
    registrar.start();
    await msb.waitFor(() => registrar!.isRegistered(), 2000, 'registered');
    await registrar.stop();
    const count = msb.calls.length;

    await new Promise((resolve) => setTimeout(resolve, 120));

    expect(msb.calls.length).toBe(count);
  });

  it('when MSB accepts connections but never answers, then stop() still returns within the HTTP timeout', async () => {
    msb = await FakeMsb.start();
    const silent = createNetServer((socket) => {
      sockets.push(socket);
    });
    const sockets: Socket[] = [];
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    registrar = buildRegistrar(msb, { msbUrl: url, httpTimeoutMs: 200 });
    registrar.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();

    await registrar.stop();
    const took = Date.now() - started;
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => silent.close(resolve));

    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(600);
  });

  it('when never started (MSB_REGISTER not yes), then MSB receives no call', async () => {
    msb = await FakeMsb.start();
    registrar = buildRegistrar(msb);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await registrar.stop();

    expect(msb.calls).toEqual([]);
  });
});

describe('two replicas registered as nodes of the one service', () => {
  let msb: FakeMsb;
  const registrars: MsbRegistrar[] = [];

  afterEach(async () => {
    await Promise.all(registrars.splice(0).map((r) => r.stop()));
    await msb.down();
  });

  function replica(ip: string): MsbRegistrar {
    const registrar = buildRegistrar(msb, { ip });
    registrars.push(registrar);
    registrar.start();
    return registrar;
  }

  it('when two replicas register, then the service lists both nodes and keeps its url', async () => {
    msb = await FakeMsb.start();
    const a = replica('10.0.0.7');
    const b = replica('10.0.0.8');
    await msb.waitFor(() => a.isRegistered() && b.isRegistered(), 2000, 'both registered');

    expect(msb.nodesOf('ciscovnfmdriver').sort()).toEqual(['10.0.0.7:8480', '10.0.0.8:8480']);
    expect(msb.services.get('ciscovnfmdriver')?.url).toBe('/api/ciscovnfmdriver/v1');
  });

  it('when one replica stops, then only its node is removed and the other stays registered through later checks', async () => {
    msb = await FakeMsb.start();
    const a = replica('10.0.0.7');
    const b = replica('10.0.0.8');
    await msb.waitFor(() => a.isRegistered() && b.isRegistered(), 2000, 'both registered');

    await a.stop();
    const checksBefore = msb.callsOf('GET', ONE).length;
    await msb.waitFor(() => msb.callsOf('GET', ONE).length >= checksBefore + 2, 2000, 'two more checks by the other replica');

    expect(msb.callsOf('DELETE').map((c) => c.path)).toEqual([`${ONE}/nodes/10.0.0.7/8480`]);
    expect(msb.nodesOf('ciscovnfmdriver')).toEqual(['10.0.0.8:8480']);
    expect(b.isRegistered()).toBe(true);
    expect(msb.callsOf('POST', SERVICES)).toHaveLength(2);
  });

  it('when MSB forgets the service, then each replica registers its own node again', async () => {
    msb = await FakeMsb.start();
    const a = replica('10.0.0.7');
    const b = replica('10.0.0.8');
    await msb.waitFor(() => a.isRegistered() && b.isRegistered(), 2000, 'both registered');

    msb.forget();

    await msb.waitFor(() => msb.nodesOf('ciscovnfmdriver').length === 2, 2000, 'both nodes back');
    expect(msb.callsOf('POST', SERVICES).length).toBeGreaterThanOrEqual(4);
  });

  it('when the last replica stops, then the service is gone', async () => {
    msb = await FakeMsb.start();
    const a = replica('10.0.0.7');
    const b = replica('10.0.0.8');
    await msb.waitFor(() => a.isRegistered() && b.isRegistered(), 2000, 'both registered');

    await a.stop();
    await b.stop();

    expect(msb.services.has('ciscovnfmdriver')).toBe(false);
    expect(msb.callsOf('DELETE', ONE)).toEqual([]);
  });
});
