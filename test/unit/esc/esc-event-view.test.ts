import { readEscEvent } from '../../../src/esc/esc-event-view';
import { parseXml } from '../../../src/xml';
import { readGuideXml } from './mapping/golden';

describe('readEscEvent', () => {
  it('when given the guide VM_DEPLOYED event, then reads status, deployment, group and source VM', () => {
    expect(readEscEvent(readGuideXml('event-vm-deployed.xml'))).toEqual({
      type: 'VM_DEPLOYED',
      status: 'SUCCESS',
      statusMessage:
        'OpenStack Driver: VM successfully created, VM Name: [csr-reg__12605__vnf-tenant__vnf-tenantcsr-depcsr-reg1.2__0__csr-vm__0]',
      tenant: 'vnf-tenant',
      depname: 'csr-dep',
      vmGroup: 'csr-vm',
      vmSource: { vmid: '9b252ece-7973-4b1f-832e-fe53c68fb963', interfaces: [] },
    });
  });

  it('when given the multi-VIM VM_DEPLOYED event, then reads the VM name and interfaces', () => {
    const ev = readEscEvent(readGuideXml('event-vm-deployed-interfaces.xml'))!;
    expect(ev.vmSource).toEqual({
      vmid: 'c3d8e1d3-6022-49cf-981e-9512d4654f67',
      vmname: 'dep-1_g-1_0_262d13cb-79b5-4590-9d3d-798b98358cae',
      interfaces: [
        {
          nicid: '0',
          portId: '749afb16-85c8-4dc4-95cf-1f087105b002',
          network: 'c7fafeca-aa53-4349-9b60-1f4b92605420',
          subnet: '7b2ce63b-eb20-4ff8-8d49-e46ee8dde0f5',
          ipAddress: '152.16.3.207',
          macAddress: 'fa:16:3e:6f:ae:9f',
        },
      ],
    });
  });

  it('when given VM_RECOVERY_COMPLETE, then the old VM is the source and the new one, with its port, the target', () => {
    const ev = readEscEvent(readGuideXml('event-vm-recovery-complete.xml'))!;
    expect(ev).toMatchObject({ type: 'VM_RECOVERY_COMPLETE', status: 'SUCCESS', vmGroup: '1-GROUP' });
    expect(ev.vmSource?.vmid).toBe('6fdfff78-895e-47db-a7e0-56bd5c4a157b');
    expect(ev.vmTarget?.vmid).toBe('a57645ed-add6-4452-8424-83f4fcacf2df');
    expect(ev.vmTarget?.interfaces[0]).toMatchObject({ portId: '26636048-a57e-4be0-ba38-2227f30eae14', ipAddress: '172.16.0.230' });
  });

  it.each([
    ['event-service-alive.xml', 'SERVICE_ALIVE', 'SUCCESS'],
    ['event-service-undeployed.xml', 'SERVICE_UNDEPLOYED', 'SUCCESS'],
    ['event-service-stopped-failure.xml', 'SERVICE_STOPPED', 'FAILURE'],
    ['event-vm-scale-out-complete.xml', 'VM_SCALE_OUT_COMPLETE', 'SUCCESS'],
    ['event-vm-scale-in-complete.xml', 'VM_SCALE_IN_COMPLETE', 'SUCCESS'],
  ])('when given %s, then type is %s and status %s', (file, type, status) => {
    expect(readEscEvent(readGuideXml(file))).toMatchObject({ type, status });
  });

  it('when given the guide CREATE_SUBNET event, then reads the network and subnet it names', () => {
    expect(readEscEvent(readGuideXml('event-create-subnet.xml'))).toEqual({
      type: 'CREATE_SUBNET',
      status: 'SUCCESS',
      statusMessage: 'Subnet creation completed successfully, subnet ID: [SystemAdminTenantIdmgmt-netmgmt-net-subnet]',
      tenant: 'SystemAdminTenantId',
      network: 'SystemAdminTenantIdmgmt-net',
      subnet: 'SystemAdminTenantIdmgmt-netmgmt-net-subnet',
    });
  });

  it('when vm_source and vm_target are empty, then neither is reported', () => {
    const ev = readEscEvent(readGuideXml('event-vm-recovery-undeployed.xml'))!;
    expect(ev.type).toBe('VM_RECOVERY_UNDEPLOYED');
    expect(ev.vmSource).toBeUndefined();
    expect(ev.vmTarget).toBeUndefined();
  });

  it('when the notification is not an escEvent, then returns undefined', () => {
    const other = parseXml(
      '<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>t</eventTime><netconf-config-change xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"/></notification>',
    );
    expect(readEscEvent(other)).toBeUndefined();
  });

  it('when an escEvent has no event type, then returns undefined', () => {
    expect(readEscEvent(parseXml('<escEvent xmlns="http://www.cisco.com/esc/esc"><status>SUCCESS</status></escEvent>'))).toBeUndefined();
  });
  it.each([
    ['<flavor>myflavor</flavor>', 'CREATE_FLAVOR', 'flavor/myflavor'],
    ['<vim_connector_id>openstack-vim</vim_connector_id>', 'CREATE_VIM_CONNECTOR', 'vim_connector/openstack-vim'],
    ['<vim_connector_id>openstack-vim</vim_connector_id><vim_user_id>u</vim_user_id>', 'CREATE_VIM_USER', 'vim_user/openstack-vim/u'],
  ])('when a resource event carries %s, then it is routed by that resource', (ids, type, key) => {
    const xmlText = `<escEvent xmlns="http://www.cisco.com/esc/esc"><status>SUCCESS</status><status_message>ok</status_message>${ids}<event><type>${type}</type></event></escEvent>`;
    expect(readEscEvent(parseXml(xmlText))).toMatchObject({ type, resource: key, tenant: undefined, depname: undefined });
  });
});
