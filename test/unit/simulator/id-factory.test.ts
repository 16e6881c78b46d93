import { buildVmName, IdFactory } from '../../../src/simulator/id-factory';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('IdFactory', () => {
  it('when ids are drawn, then they have the ESC / OpenStack shapes and do not repeat', () => {
    const ids = new IdFactory();
    const uuids = [ids.uuid(), ids.uuid()];
    expect(uuids[0]).toMatch(UUID);
    expect(uuids[0]).not.toBe(uuids[1]);
    expect(ids.tenantId()).toMatch(/^[0-9a-f]{32}$/);
    expect(ids.hostId()).toMatch(/^[0-9a-f]{56}$/);
  });

  it('when many UUIDs are drawn, then all are version 4 UUIDs and all differ', () => {
    const ids = new IdFactory();
    const uuids = Array.from({ length: 2000 }, () => ids.uuid());
    expect(uuids.filter((u) => !UUID.test(u))).toEqual([]);
    expect(new Set(uuids).size).toBe(uuids.length);
    const hostIds = Array.from({ length: 500 }, () => ids.hostId());
    expect(new Set(hostIds).size).toBe(hostIds.length);
  });

  it('when MACs are drawn, then they count up under the fa:16:3e prefix across all three octets', () => {
    const ids = new IdFactory();
    const macs = Array.from({ length: 256 }, () => ids.mac());
    expect(macs.slice(0, 2)).toEqual(['fa:16:3e:00:00:01', 'fa:16:3e:00:00:02']);
    expect(macs[254]).toBe('fa:16:3e:00:00:ff');
    expect(macs[255]).toBe('fa:16:3e:00:01:00');
  });

  it('when host names are drawn, then they name one of 8 compute hosts', () => {
    const ids = new IdFactory();
    const names = new Set<string>();
    for (let i = 0; i < 16; i++) {
      names.add(ids.hostname());
      ids.mac();
    }
    expect([...names].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `compute-host-${i + 1}`));
  });

  it('when addresses are drawn in a network, then they start at .12 and move to the next /24 after 250 hosts', () => {
    const ids = new IdFactory();
    const ips = Array.from({ length: 241 }, () => ids.ip('10.1.0.0'));
    expect(ips.slice(0, 2)).toEqual(['10.1.0.12', '10.1.0.13']);
    expect(ips[239]).toBe('10.1.0.251');
    expect(ips[240]).toBe('10.1.1.2');
  });

  it('when addresses are drawn in two networks, then the host counter is shared', () => {
    const ids = new IdFactory();
    expect([ids.ip('10.0.0.0'), ids.ip('192.168.5.0')]).toEqual(['10.0.0.12', '192.168.5.13']);
  });
});

describe('buildVmName', () => {
  it('when given deployment, group, index and uuid, then it joins them with underscores as ESC does', () => {
    expect(buildVmName('csr-dep', 'CSR', 0, 'a1b2')).toBe('csr-dep_CSR_0_a1b2');
  });

  it('when the names contain whitespace, then it becomes dashes', () => {
    expect(buildVmName('my dep', 'vm\tgroup', 2, 'u')).toBe('my-dep_vm-group_2_u');
  });
});
