import { buildVnfPackage } from '../../support/nslcm-stub';
import { childOf, childrenOf, pathOf, textOf, type XmlElement } from '../../../src/xml';
import { eventType, RawNetconfClient, SUBSCRIBE } from '../simulator/raw-netconf-client';
import {
  buildFwLbInstantiate,
  ESC_USER,
  FW_LB_PACKAGE,
  fwLbVnfdModel,
  runOperation,
  startEscRig,
  type EscRig,
} from './esc-service-harness';

const GET_RUNNING =
  '<rpc message-id="g" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get-config><source><running/></source></get-config></rpc>';

/** The deployments in ESC's running configuration. */
async function runningDeployments(rpc: RawNetconfClient): Promise<XmlElement[]> {
  const reply = await rpc.request(GET_RUNNING);
  const tenants = childrenOf(pathOf(reply, 'data', 'esc_datamodel', 'tenants'), 'tenant');
  return tenants.flatMap((t) => childrenOf(childOf(t, 'deployments'), 'deployment'));
}

function vmGroup(dep: XmlElement | undefined, name: string): XmlElement | undefined {
  return childrenOf(dep, 'vm_group').find((g) => textOf(g, 'name') === name);
}

const fwCount = (rig: EscRig): number => (rig.sim.snapshot().deployments[0]?.vms ?? []).filter((v) => v.vmGroup === 'vdu_fw').length;
const grants = (rig: EscRig): number => rig.stub.callsTo('/api/nslcm/v1/ns/grantvnf').length;

/** The two-VDU VNFD with vdu_fw ranging 1..4 (no instantiation level: it starts at the profile minimum, 1). */
function fwFromOne(): Record<string, unknown> {
  const model = fwLbVnfdModel();
  model.policies = (model.policies as Record<string, unknown>[]).filter((p) => p.name !== 'levels');
  return model;
}

describe('internal virtual links as deployment networks, and scaling by the VNFD range', () => {
  let rig: EscRig | undefined;
  let rpc: RawNetconfClient | undefined;
  let sub: RawNetconfClient | undefined;
  afterEach(async () => {
    rpc?.end();
    sub?.end();
    await rig?.stop();
    rig = rpc = sub = undefined;
  });

  async function start(): Promise<EscRig> {
    rig = await startEscRig();
    rpc = await RawNetconfClient.connect(rig.sim.port, { password: ESC_USER.password });
    sub = await RawNetconfClient.connect(rig.sim.port, { password: ESC_USER.password });
    await sub.request(SUBSCRIBE);
    return rig;
  }

  it('when two VDUs are joined by an internal VL, then one deploy carries its network and subnet, and terminate leaves none in ESC', async () => {
    const { base, sim } = await start();
    const body = buildFwLbInstantiate();
    (body.additionalParam as { inputs: Record<string, unknown> }).inputs = {};
    const inst = await runOperation(base, '/vnfs', body);
    expect(inst.last.status).toBe('finished');

    const [dep, ...others] = await runningDeployments(rpc!);
    expect(others).toEqual([]);
    const networks = childrenOf(childOf(dep, 'networks'), 'network');
    expect(networks).toHaveLength(1);
    const net = networks[0];
    const name = textOf(net, 'name')!;
    expect(name).toBe(`${textOf(dep, 'name')}-internal_vl`);
    const subnet = childOf(net, 'subnet');
    expect(['ipversion', 'dhcp', 'address', 'netmask', 'gateway'].map((leaf) => textOf(subnet, leaf))).toEqual([
      'ipv4',
      'true',
      '10.10.1.0',
      '255.255.255.0',
      '10.10.1.254',
    ]);
    for (const g of ['vdu_fw', 'vdu_lb']) {
      const nics = childrenOf(childOf(vmGroup(dep, g), 'interfaces'), 'interface');
      expect(nics.map((i) => [textOf(i, 'network'), childOf(i, 'subnet')])).toEqual([
        ['ext-net', undefined],
        [name, undefined],
      ]);
    }
    await sub!.event('SERVICE_ALIVE');
    const types = sub!.notifications.map((n) => eventType(n));
    expect(types.filter((t) => t === 'CREATE_NETWORK' || t === 'CREATE_SUBNET' || t === 'SERVICE_ALIVE')).toEqual([
      'CREATE_NETWORK',
      'CREATE_SUBNET',
      'SERVICE_ALIVE',
    ]);
    expect(sim.snapshot().networks).toEqual([
      { tenant: sim.snapshot().deployments[0].tenant, name, subnet: `${name}-subnet`, deployment: textOf(dep, 'name') },
    ]);
    // NSLCM's inventory: the network is a VL this VNF owns (an id unique to the VNF), and its internal CPs join it.
    const vlId = `${inst.vnfInstanceId}.internal_vl`;
    const inventory = rig!.stub.inventory;
    expect([...inventory.vls.values()]).toEqual([
      { vlInstanceId: vlId, vldId: 'internal_vl', ownerType: 'VNF', ownerId: inst.vnfInstanceId },
    ]);
    const internalCps = [...inventory.cps.values()].filter((cp) => cp.virtualLinkInstanceId === vlId);
    expect(internalCps).toHaveLength(sim.snapshot().deployments[0].vms.length);
    expect(new Set(internalCps.map((cp) => cp.cpdId))).toEqual(new Set(['fw_data', 'lb_data']));

    const term = await runOperation(base, `/vnfs/${inst.vnfInstanceId}/terminate`, {
      terminationType: 'graceful',
      gracefulTerminationTimeout: '5',
    });
    expect(term.last.status).toBe('finished');
    await sub!.event('SERVICE_UNDEPLOYED');
    expect(sim.snapshot().networks).toEqual([]);
    expect(sim.snapshot().deployments).toEqual([]);
    expect(await runningDeployments(rpc!)).toEqual([]);
    expect([...rig!.stub.inventory.vls.values()]).toEqual([]);
    expect([...rig!.stub.inventory.cps.values()]).toEqual([]);
    expect(sub!.notifications.map((n) => eventType(n)).filter((t) => t?.startsWith('DELETE_'))).toEqual([
      'DELETE_SUBNET',
      'DELETE_NETWORK',
    ]);
  });

  it('when a VDU ranging 1..4 is scaled out 2 then in 1 by its aspect without vnfdModel, then ESC holds 3 then 2 VMs; past the range the job fails before any grant', async () => {
    const r = await start();
    r.stub.packages.set(FW_LB_PACKAGE, buildVnfPackage(FW_LB_PACKAGE, fwFromOne()));
    const inst = await runOperation(r.base, '/vnfs', buildFwLbInstantiate());
    expect(inst.last.status).toBe('finished');
    expect(fwCount(r)).toBe(1);
    const scale = (type: string, steps: number): ReturnType<typeof runOperation> =>
      runOperation(r.base, `/vnfs/${inst.vnfInstanceId}/scale`, {
        type,
        aspectId: 'fw_scale',
        numberOfSteps: String(steps),
        additionalParam: {},
      });

    expect((await scale('SCALE_OUT', 2)).last.status).toBe('finished');
    expect(fwCount(r)).toBe(3);
    const fw = vmGroup((await runningDeployments(rpc!))[0], 'vdu_fw');
    expect([textOf(childOf(fw, 'scaling'), 'min_active'), textOf(childOf(fw, 'scaling'), 'max_active')]).toEqual(['3', '3']);
    expect((await scale('SCALE_IN', 1)).last.status).toBe('finished');
    expect(fwCount(r)).toBe(2);

    const grantsBefore = grants(r);
    const tooFar = await scale('SCALE_OUT', 3);
    expect(tooFar.last.status).toBe('error');
    expect(tooFar.last.statusDescription).toContain('would have 5 VM(s), outside its bounds 1..4');
    const tooFewer = await scale('SCALE_IN', 2);
    expect(tooFewer.last.status).toBe('error');
    expect(tooFewer.last.statusDescription).toContain('would have 0 VM(s), outside its bounds 1..4');
    expect(grants(r)).toBe(grantsBefore);
    expect(fwCount(r)).toBe(2);
  });

  it('when elastic is on for a VDU, then its vm_group carries max_active 4 and the overload/underload KPIs and rules', async () => {
    const { base } = await start();
    const body = buildFwLbInstantiate();
    const param = body.additionalParam as { inputs: Record<string, unknown> };
    param.inputs = { ...param.inputs, 'vdu_fw.elastic': true };
    const inst = await runOperation(base, '/vnfs', body);
    expect(inst.last.status).toBe('finished');
    const dep = (await runningDeployments(rpc!))[0];
    const fw = vmGroup(dep, 'vdu_fw');
    const scaling = childOf(fw, 'scaling');
    expect(['min_active', 'max_active', 'elastic'].map((l) => textOf(scaling, l))).toEqual(['2', '4', 'true']);
    const kpis = childrenOf(childOf(fw, 'kpi_data'), 'kpi').map((k) => [textOf(k, 'event_name'), textOf(k, 'metric_cond')]);
    expect(kpis).toEqual([
      ['VM_ALIVE', 'GT'],
      ['VM_OVERLOADED', 'GE'],
      ['VM_UNDERLOADED', 'LE'],
    ]);
    const rules = childrenOf(pathOf(fw, 'rules', 'admin_rules'), 'rule').map((r) => textOf(r, 'event_name'));
    expect(rules).toEqual(['VM_ALIVE', 'VM_OVERLOADED', 'VM_UNDERLOADED']);
    const lb = vmGroup(dep, 'vdu_lb');
    expect(textOf(childOf(lb, 'scaling'), 'max_active')).toBe('1');
    expect(childrenOf(childOf(lb, 'kpi_data'), 'kpi')).toHaveLength(1);
  });
});
