import { EscState, type DeploymentState } from '../../../src/simulator/esc-state';
import { writeDeploymentOpdata, writeOpdata } from '../../../src/simulator/opdata-writer';
import { writeElement } from '../../../src/xml';
import { ESC_NS } from './sim-test-helpers';

function deployment(): DeploymentState {
  return {
    name: 'd',
    tenant: 't',
    deploymentId: 'td',
    depId: 'u',
    state: 'SERVICE_ACTIVE_STATE',
    busy: false,
    groups: [
      { name: 'g1', count: 1 },
      { name: 'g2', count: 0 },
    ],
    vms: [
      {
        vmId: 'v1',
        name: 'd_g1_0_u',
        group: 'g1',
        hostId: 'h',
        hostname: 'c1',
        state: 'VM_ALIVE_STATE',
        interfaces: [
          {
            nicid: '0',
            portId: 'p',
            networkName: 'n',
            networkId: 'net',
            subnetId: 'sub',
            ip: '10.0.0.12',
            mac: 'm',
            netmask: '255.255.255.0',
            gateway: '10.0.0.1',
          },
        ],
      },
    ],
  };
}

describe('writeDeploymentOpdata', () => {
  it('when a deployment has VMs, then every group is listed with its instances and the state machines follow', () => {
    expect(writeElement(writeDeploymentOpdata(deployment()), ESC_NS)).toBe(
      '<deployments><deployment_name>d</deployment_name><deployment_id>td</deployment_id>' +
        '<vm_group><name>g1</name><vm_instance><vm_id>v1</vm_id><name>d_g1_0_u</name><host_id>h</host_id><hostname>c1</hostname>' +
        '<interfaces><interface><nicid>0</nicid><type>virtual</type><port_id>p</port_id><network>net</network><subnet>sub</subnet>' +
        '<ip_address>10.0.0.12</ip_address><mac_address>m</mac_address><netmask>255.255.255.0</netmask><gateway>10.0.0.1</gateway></interface></interfaces></vm_instance></vm_group>' +
        '<vm_group><name>g2</name></vm_group>' +
        '<state_machine><state>SERVICE_ACTIVE_STATE</state><vm_state_machines><vm_state_machine><vm_name>d_g1_0_u</vm_name><state>VM_ALIVE_STATE</state></vm_state_machine></vm_state_machines></state_machine>' +
        '</deployments>',
    );
  });

  it('when a deployment has no VMs yet, then the state machine has no VM entries', () => {
    const dep = { ...deployment(), vms: [], groups: [], state: 'SERVICE_DEPLOYING_STATE' as const };
    expect(writeElement(writeDeploymentOpdata(dep), ESC_NS)).toBe(
      '<deployments><deployment_name>d</deployment_name><deployment_id>td</deployment_id><state_machine><state>SERVICE_DEPLOYING_STATE</state></state_machine></deployments>',
    );
  });
});

describe('writeOpdata', () => {
  it('when tenants are inactive and empty, then they are left out; networks show their CIDR prefix and DHCP as configured', () => {
    const state = new EscState();
    state.tenants.set('pending', { name: 'pending', tenantId: 'p', active: false, networks: new Map(), deployments: new Map() });
    state.tenants.set('t', {
      name: 't',
      tenantId: 'tid',
      active: true,
      deployments: new Map(),
      networks: new Map([
        [
          'n1',
          {
            name: 'n1',
            netId: 'net1',
            subnetName: 's1',
            subnetId: 'sub1',
            ipVersion: 'ipv4',
            dhcp: false,
            address: '172.16.0.0',
            netmask: '255.255.252.0',
            gateway: '172.16.0.1',
          },
        ],
        [
          'n2',
          {
            name: 'n2',
            netId: 'net2',
            subnetId: 'sub2',
            ipVersion: 'ipv4',
            dhcp: true,
            address: '10.0.0.0',
            netmask: '255.255.255.0',
            gateway: '10.0.0.1',
          },
        ],
      ]),
    });
    expect(writeElement(writeOpdata(state, 42), ESC_NS)).toBe(
      '<opdata><status>OPER_UP</status><stats><hostname>esc-simulator</hostname><os_name>Linux</os_name><uptime>42</uptime></stats>' +
        '<tenants><tenant><name>t</name><tenant_id>tid</tenant_id><networks>' +
        '<network><name>n1</name><netid>net1</netid><shared>false</shared><status>active</status><subnets><subnet><name>s1</name><subnetid>sub1</subnetid>' +
        '<cidr>172.16.0.0/22</cidr><gateway>172.16.0.1</gateway><dhcp>false</dhcp><ipversion>4</ipversion></subnet></subnets></network>' +
        '<network><name>n2</name><netid>net2</netid><shared>false</shared><status>active</status></network>' +
        '</networks></tenant></tenants></opdata>',
    );
  });

  it('when an inactive tenant already has deployments, then it is listed with them', () => {
    const state = new EscState();
    state.tenants.set('t', { name: 't', tenantId: 'tid', active: false, networks: new Map(), deployments: new Map([['d', deployment()]]) });
    const tenants = writeOpdata(state, 0).children.find((c) => c.name === 'tenants')!;
    expect(tenants.children.map((t) => t.children.map((c) => c.name))).toEqual([['name', 'tenant_id', 'deployments']]);
  });
});
