import type { EscConnector, EscEventHandlers, EscTarget } from '../../../src/esc/esc-channel';
import { EscConnectionPool } from '../../../src/esc/esc-connection-pool';
import type { RoutableEvent } from '../../../src/esc/esc-event-router';
import { silentLog } from '../../../src/logging/log';
import { NetconfError } from '../../../src/netconf/errors';
import { parseXml } from '../../../src/xml';

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
    openRpc: async () => ({ editConfig: async () => undefined, get: async () => parseXml('<data/>'), close: async () => undefined }),
  };
}

describe('EscConnectionPool', () => {
  it('when ESC refuses the event session for good, then the channel fails with that cause and the next use opens a new one with fresh credentials', async () => {
    const connector = buildConnector();
    const invalidated: string[] = [];
    const pool = new EscConnectionPool<RoutableEvent>({
      connector, log: silentLog, locator: { locate: async () => TARGET, invalidate: (id) => invalidated.push(id) },
    });
    const first = await pool.channelFor('vnfm-1');
    expect(await pool.channelFor('vnfm-1')).toBe(first);
    const seen: Error[] = [];
    first.onFailure((e) => seen.push(e));

    const refused = new NetconfError('AUTH', 'permission denied');
    connector.handlers[0]!.onFailed?.(refused);

    expect(seen).toEqual([refused]);
    expect(first.failed).toBe(refused);
    expect(() => first.editConfig('<x/>')).toThrow(refused);
    expect(invalidated).toEqual(['vnfm-1']);
    const second = await pool.channelFor('vnfm-1');
    expect(second).not.toBe(first);
    expect(connector.handlers).toHaveLength(2);
    await pool.close();
  });
});
