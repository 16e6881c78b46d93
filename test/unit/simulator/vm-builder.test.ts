import { EscState, type DeploymentState, type NetworkState } from '../../../src/simulator/esc-state';
import { IdFactory } from '../../../src/simulator/id-factory';
import { VmBuilder } from '../../../src/simulator/vm-builder';
import { parseXml } from '../../../src/xml';

const UUID = /^[0-9a-f]{8}-[0-9a-f-]{27}$/;

function setup(tenantNetworks: NetworkState[] = []) {
  const state = new EscState();
  state.tenants.set('t', {
    name: 't',
    tenantId: 'tid',
    active: true,
    networks: new Map(tenantNetworks.map((n) => [n.name, n])),
    deployments: new Map(),
  });
  const dep: DeploymentState = {
    name: 'dep',
    tenant: 't',
    deploymentId: 'tdep',
    depId: 'u',
    state: 'SERVICE_DEPLOYING_STATE',
    groups: [],
    vms: [],
    busy: true,
  };
  return { builder: new VmBuilder(new IdFactory(), state), dep };
}

const group = (interfaces: string) => parseXml(`<vm_group><name>g1</name><interfaces>${interfaces}</interfaces></vm_group>`);

describe('VmBuilder.build', () => {
  it('when a group names a network the tenant does not have, then the VM gets a port on a shared 192.168.x.0/24 network', () => {
    const { builder, dep } = setup();
    const vm = builder.build(dep, group('<interface><nicid>0</nicid><network>esc-net</network></interface>'), 3);
    expect(vm.name).toMatch(/^dep_g1_3_[0-9a-f-]{36}$/);
    expect([vm.group, vm.state]).toEqual(['g1', 'VM_DEPLOYING_STATE']);
    expect(vm.hostname).toMatch(/^compute-host-[1-8]$/);
    expect(vm.vmId).toMatch(UUID);
    expect(vm.hostId).toMatch(/^[0-9a-f]{56}$/);
    const [nic] = vm.interfaces;
    expect(nic).toEqual(
      expect.objectContaining({
        nicid: '0',
        networkName: 'esc-net',
        ip: '192.168.0.12',
        mac: 'fa:16:3e:00:00:01',
        netmask: '255.255.255.0',
        gateway: '192.168.0.1',
      }),
    );
    expect(nic.portId).toMatch(UUID);
  });

  it('when two VMs use the same shared network, then they share its ids; another network gets the next /24', () => {
    const { builder, dep } = setup();
    const a = builder.build(dep, group('<interface><nicid>0</nicid><network>esc-net</network></interface>'), 0);
    const b = builder.build(
      dep,
      group(
        '<interface><nicid>0</nicid><network>esc-net</network></interface><interface><nicid>1</nicid><network>mgmt</network></interface>',
      ),
      1,
    );
    expect(b.interfaces[0].networkId).toBe(a.interfaces[0].networkId);
    expect(b.interfaces[0].subnetId).toBe(a.interfaces[0].subnetId);
    expect(b.interfaces[1].networkId).not.toBe(a.interfaces[0].networkId);
    expect(b.interfaces.map((i) => i.ip)).toEqual(['192.168.0.13', '192.168.1.14']);
    expect(b.interfaces[0].portId).not.toBe(a.interfaces[0].portId);
  });

  it('when the tenant has the network, then its ids, netmask and gateway are used', () => {
    const own: NetworkState = {
      name: 'data',
      netId: 'net-1',
      subnetId: 'sub-1',
      ipVersion: 'ipv4',
      dhcp: true,
      address: '10.20.0.0',
      netmask: '255.255.0.0',
      gateway: '10.20.0.254',
      ephemeralOf: 'dep',
    };
    const { builder, dep } = setup([own]);
    const vm = builder.build(dep, group('<interface><nicid>2</nicid><network>data</network></interface>'), 0);
    expect(vm.interfaces[0]).toEqual(
      expect.objectContaining({
        nicid: '2',
        networkId: 'net-1',
        subnetId: 'sub-1',
        ip: '10.20.0.12',
        netmask: '255.255.0.0',
        gateway: '10.20.0.254',
      }),
    );
  });

  it('when an interface fixes its ip and mac, then they are kept', () => {
    const { builder, dep } = setup();
    const vm = builder.build(
      dep,
      group(
        '<interface><nicid>0</nicid><network>n</network><ip_address> 172.16.0.9 </ip_address><mac_address>fa:16:3e:aa:bb:cc</mac_address></interface>',
      ),
      0,
    );
    expect([vm.interfaces[0].ip, vm.interfaces[0].mac]).toEqual(['172.16.0.9', 'fa:16:3e:aa:bb:cc']);
  });

  it('when a name is given (a recovery redeploy), then it is used as is', () => {
    const { builder, dep } = setup();
    expect(builder.build(dep, group(''), 0, 'dep_g1_0_old').name).toBe('dep_g1_0_old');
  });

  it('when a group has no interfaces, then the VM has none', () => {
    const { builder, dep } = setup();
    expect(builder.build(dep, parseXml('<vm_group><name>g</name></vm_group>'), 0).interfaces).toEqual([]);
  });
});

describe('VmBuilder.networksOf', () => {
  it('when a deployment defines networks, then each gets ids and subnet settings with ESC defaults', () => {
    const { builder } = setup();
    const nets = builder.networksOf(
      parseXml(
        '<deployment><networks>' +
          '<network><name>n1</name><subnet><name>s1</name><ipversion>ipv4</ipversion><dhcp>false</dhcp><address>172.16.4.0</address><netmask>255.255.252.0</netmask><gateway>172.16.4.254</gateway></subnet></network>' +
          '<network><name>n2</name><subnet><name>s2</name></subnet></network>' +
          '<network><name>n3</name></network>' +
          '</networks></deployment>',
      ),
      'dep',
    );
    expect(nets.map(({ netId, subnetId, ...rest }) => ({ ...rest, ids: UUID.test(netId) && UUID.test(subnetId) }))).toEqual([
      {
        name: 'n1',
        subnetName: 's1',
        ipVersion: 'ipv4',
        dhcp: false,
        address: '172.16.4.0',
        netmask: '255.255.252.0',
        gateway: '172.16.4.254',
        ephemeralOf: 'dep',
        ids: true,
      },
      {
        name: 'n2',
        subnetName: 's2',
        ipVersion: 'ipv4',
        dhcp: true,
        address: '10.0.0.0',
        netmask: '255.255.255.0',
        gateway: '10.0.0.1',
        ephemeralOf: 'dep',
        ids: true,
      },
      {
        name: 'n3',
        subnetName: undefined,
        ipVersion: 'ipv4',
        dhcp: true,
        address: '10.0.0.0',
        netmask: '255.255.255.0',
        gateway: '10.0.0.1',
        ephemeralOf: 'dep',
        ids: true,
      },
    ]);
  });

  it('when a deployment defines no networks, then there are none', () => {
    expect(setup().builder.networksOf(parseXml('<deployment><name>d</name></deployment>'), 'd')).toEqual([]);
  });
});
