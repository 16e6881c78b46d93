import type { EscConnector, EscEventHandlers, EscTarget } from '../../../src/esc/esc-channel';
import { EscConnectionPool } from '../../../src/esc/esc-connection-pool';
import type { RoutableEvent } from '../../../src/esc/esc-event-router';
import { silentLog } from '../../../src/logging/log';
import { NetconfError } from '../../../src/netconf/errors';
import { parseXml, xml } from '../../../src/xml';
import { waitFor } from '../../support/waiting';

function target(password: string): EscTarget {
  const t = { host: '127.0.0.1', port: 830, userName: 'admin' } as EscTarget;
  Object.defineProperty(t, 'password', { value: password, enumerable: false });
  return t;
}

/** A connector whose sessions record being opened and closed, and whose RPCs wait until released. */
function fakeConnector() {
  const sessions: { password: string; closed: boolean }[] = [];
  const pendingRpcs: (() => void)[] = [];
  const connector: EscConnector<RoutableEvent> = {
    openEvents: async () => ({ close: async () => undefined }),
    openRpc: async (t) => {
      const session = { password: t.password, closed: false };
      sessions.push(session);
      return {
        editConfig: () => new Promise<void>((resolve) => pendingRpcs.push(resolve)),
        action: async () => undefined,
        get: async () => {
          throw new Error('not used');
        },
        close: async () => {
          session.closed = true;
        },
      };
    },
  };
  return { connector, sessions, pendingRpcs };
}

describe('EscConnectionPool', () => {
  it('when another replica is responsible for the ESC, then only events of deployments its jobs watch are wanted, and ESC-initiated ones reach no unsolicited handler here', async () => {
    let handlers: EscEventHandlers<RoutableEvent> | undefined;
    const connector: EscConnector<RoutableEvent> = {
      ...fakeConnector().connector,
      openEvents: async (_t, h) => {
        handlers = h;
        return { close: async () => undefined };
      },
    };
    let responsible = false;
    const claimed: string[] = [];
    const unsolicited: string[] = [];
    const pool = new EscConnectionPool({
      connector,
      locator: { locate: async () => target('pw'), invalidate: () => undefined },
      log: silentLog,
      onUnsolicited: (e) => void unsolicited.push(e.type),
      responsibility: { holds: () => responsible, claim: (esc) => void claimed.push(esc) },
    });
    const channel = await pool.channelFor('a');
    expect(claimed).toEqual(['127.0.0.1:830']);
    const watched: string[] = [];
    channel.watch('t', 'mine', (e) => watched.push(e.type));
    const h = handlers!;
    expect(h.wants?.({ tenant: 't', depname: 'mine' })).toBe(true);
    expect(h.wants?.({ tenant: 't', depname: 'theirs' })).toBe(false);
    expect(h.wants?.(undefined)).toBe(true);
    h.onEvent({ type: 'VM_RECOVERY_COMPLETE', tenant: 't', depname: 'mine' });
    expect(watched).toEqual(['VM_RECOVERY_COMPLETE']);
    expect(unsolicited).toEqual([]);

    responsible = true;
    expect(h.wants?.({ tenant: 't', depname: 'theirs' })).toBe(true);
    h.onEvent({ type: 'VM_RECOVERY_COMPLETE', tenant: 't', depname: 'theirs' });
    expect(unsolicited).toEqual(['VM_RECOVERY_COMPLETE']);
    await pool.close();
  });

  it('when two VNFM records name the same ESC and user with different passwords, then each gets a session of its own', async () => {
    const { connector, sessions } = fakeConnector();
    const logins: Record<string, EscTarget> = { a: target('right'), b: target('wrong') };
    const pool = new EscConnectionPool({
      connector,
      locator: { locate: async (id) => logins[id], invalidate: () => undefined },
      log: silentLog,
    });
    const a = await pool.channelFor('a');
    const b = await pool.channelFor('b');
    expect(a).not.toBe(b);
    expect(await pool.channelFor('a')).toBe(a);
    expect(sessions.map((s) => s.password)).toEqual(['right', 'wrong']);
    await pool.close();
  });

  it('when records share a login, then they share one session, and its key holds no password in clear', async () => {
    const { connector, sessions } = fakeConnector();
    const pool = new EscConnectionPool({
      connector,
      locator: { locate: async () => target('s3cr3t-pw'), invalidate: () => undefined },
      log: silentLog,
    });
    expect(await pool.channelFor('a')).toBe(await pool.channelFor('b'));
    expect(sessions).toHaveLength(1);
    expect(pool.loginKey(target('s3cr3t-pw'))).not.toContain('s3cr3t-pw');
    expect(pool.loginKey(target('s3cr3t-pw'))).toMatch(/^admin@127\.0\.0\.1:830#/);
    await pool.close();
  });

  it('when the password of a VNFM record changes, then a new session opens and the old one closes once its RPC has ended', async () => {
    const { connector, sessions, pendingRpcs } = fakeConnector();
    let password = 'old-pw';
    const pool = new EscConnectionPool({
      connector,
      locator: { locate: async () => target(password), invalidate: () => undefined },
      log: silentLog,
      idleCheckMs: 10,
    });
    const old = await pool.channelFor('a');
    const rpc = old.editConfig(xml('config'));
    password = 'new-pw';
    const fresh = await pool.channelFor('a');
    expect(fresh).not.toBe(old);
    expect(sessions.map((s) => [s.password, s.closed])).toEqual([
      ['old-pw', false],
      ['new-pw', false],
    ]);
    await new Promise((r) => setTimeout(r, 50));
    expect(sessions[0].closed).toBe(false);
    pendingRpcs[0]();
    await rpc;
    await waitFor(() => sessions[0].closed, 2000);
    expect(sessions[1].closed).toBe(false);
    await pool.close();
    expect(sessions[1].closed).toBe(true);
  });
});

const TARGET: EscTarget = { host: '192.0.2.10', port: 830, userName: 'admin', password: 'secret' };

/** A connector whose links do nothing; it keeps the event handlers of every channel it opened. */
function buildConnector(): EscConnector<RoutableEvent> & { handlers: EscEventHandlers<RoutableEvent>[] } {
  const handlers: EscEventHandlers<RoutableEvent>[] = [];
  return {
    handlers,
    openEvents: async (_t, h) => {
      handlers.push(h);
      return { close: async () => undefined };
    },
    openRpc: async () => ({
      editConfig: async () => undefined,
      get: async () => parseXml('<data/>'),
      action: async () => undefined,
      close: async () => undefined,
    }),
  };
}

describe('EscConnectionPool and a refused event session', () => {
  it('when ESC refuses the event session for good, then the channel fails with that cause and the next use opens a new one with fresh credentials', async () => {
    const connector = buildConnector();
    const invalidated: string[] = [];
    const pool = new EscConnectionPool<RoutableEvent>({
      connector,
      log: silentLog,
      locator: { locate: async () => TARGET, invalidate: (id) => invalidated.push(id) },
    });
    const first = await pool.channelFor('vnfm-1');
    expect(await pool.channelFor('vnfm-1')).toBe(first);
    const seen: Error[] = [];
    first.onFailure((e) => seen.push(e));

    const refused = new NetconfError('AUTH', 'permission denied');
    connector.handlers[0].onFailed?.(refused);

    expect(seen).toEqual([refused]);
    expect(first.failed).toBe(refused);
    expect(() => first.editConfig(xml('x'))).toThrow(refused);
    expect(invalidated).toEqual(['vnfm-1']);
    const second = await pool.channelFor('vnfm-1');
    expect(second).not.toBe(first);
    expect(connector.handlers).toHaveLength(2);
    await pool.close();
  });
});
