import { buildFlavorConfig } from '../../../src/esc/mapping/edit-builders';
import { childOf, childrenOf, parseXml, textOf, writeElement, writeXml, type XmlElement } from '../../../src/xml';
import { buildVimInfo } from '../../support/nslcm-stub/nslcm-builders';
import { recordingLog, type Logged } from '../../support/recording-log';
import { eventType, RawNetconfClient, SUBSCRIBE } from '../simulator/raw-netconf-client';
import { buildFwLbInstantiate, ESC_USER, runOperation, startEscRig, STUB_VIM_CONNECTOR, type EscRig } from './esc-service-harness';

/** VIM B: a second region of the stub's cloud owner, with its own tenant and password. */
const VIM_B = { owner: 'CloudOwner', region: 'RegionTwo', tenant: 'tenant-b', password: 'vim-b-planted-secret' };
const VIM_B_ID = `${VIM_B.owner}_${VIM_B.region}`;

const GET_CONFIG = `<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get-config><source><running/></source></get-config></rpc>`;
const GET_OPDATA = `<rpc message-id="2" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get><filter type="xpath" select="esc_datamodel/opdata"/></get></rpc>`;
const editConfig = (config: string): string =>
  `<rpc message-id="3" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><edit-config><target><running/></target><config>${config}</config></edit-config></rpc>`;

/** The locators of every vm_group in the simulator's running configuration. */
function locatorsIn(data: XmlElement): Array<{ group: string; vimId?: string; vimProject?: string }> {
  const model = childOf(data, 'esc_datamodel');
  return childrenOf(childOf(model, 'tenants'), 'tenant').flatMap((t) =>
    childrenOf(childOf(t, 'deployments'), 'deployment').flatMap((d) =>
      childrenOf(d, 'vm_group').map((g) => ({
        group: textOf(g, 'name') ?? '',
        vimId: textOf(childOf(g, 'locator'), 'vim_id'),
        vimProject: textOf(childOf(g, 'locator'), 'vim_project'),
      })),
    ),
  );
}

describe('placement on the granted VIM', () => {
  let rig: EscRig | undefined;
  let sub: RawNetconfClient | undefined;
  let rpc: RawNetconfClient | undefined;
  afterEach(async () => {
    sub?.end();
    rpc?.end();
    await rig?.stop();
    rig = sub = rpc = undefined;
  });

  /** Two VIMs in NSLCM; the grant names VIM B whatever the request asked for. */
  async function rigGrantingVimB(opts: Parameters<typeof startEscRig>[0]): Promise<EscRig> {
    const r = await startEscRig(opts);
    r.stub.vims.set(
      `${VIM_B.owner}/${VIM_B.region}`,
      buildVimInfo(VIM_B.owner, VIM_B.region, { tenant: VIM_B.tenant, password: VIM_B.password }),
    );
    r.stub.setGrantHandler(() => ({ status: 201, body: { vim: { vimId: VIM_B_ID, accessInfo: { tenant: VIM_B.tenant } } } }));
    sub = await RawNetconfClient.connect(r.sim.port, { password: ESC_USER.password });
    rpc = await RawNetconfClient.connect(r.sim.port, { password: ESC_USER.password });
    await sub.request(SUBSCRIBE);
    return r;
  }

  it('when NSLCM grants VIM B whose connector ESC holds, then every vm_group is located on B’s connector and the granted tenant', async () => {
    rig = await rigGrantingVimB({
      config: { escVimConnectors: { [VIM_B_ID]: 'site-b' } },
      vimConnectors: [STUB_VIM_CONNECTOR, { id: 'site-b', projects: [VIM_B.tenant] }],
    });
    const outcome = await runOperation(rig.base, '/vnfs', buildFwLbInstantiate());
    expect(outcome.last.status).toBe('finished');
    const locators = locatorsIn(childOf(await rpc!.request(GET_CONFIG), 'data')!);
    expect(locators.map((l) => l.group).sort()).toEqual(['vdu_fw', 'vdu_lb']);
    for (const l of locators) expect(l).toMatchObject({ vimId: 'site-b', vimProject: VIM_B.tenant });
    expect(rig.stub.callsTo(/\/api\/nslcm\/v1\/vims\//)).toHaveLength(0);
    expect(sub!.notifications.map(eventType)).not.toContain('CREATE_VIM_CONNECTOR');
  }, 30_000);

  it('when B’s connector is missing and management is on, then the driver creates it and its user first, and no log line holds the password', async () => {
    const lines: Logged[] = [];
    rig = await rigGrantingVimB({ config: { escManageVimConnectors: true, logLevel: 'debug' }, log: recordingLog(lines) });
    const outcome = await runOperation(rig.base, '/vnfs', buildFwLbInstantiate());
    expect(outcome.last.status).toBe('finished');
    const types = sub!.notifications.map(eventType);
    expect(types.slice(0, 2)).toEqual(['CREATE_VIM_CONNECTOR', 'CREATE_VIM_USER']);
    expect(types.indexOf('CREATE_VIM_USER')).toBeLessThan(types.indexOf('VM_DEPLOYED'));
    const config = childOf(await rpc!.request(GET_CONFIG), 'data')!;
    for (const l of locatorsIn(config)) expect(l).toMatchObject({ vimId: VIM_B_ID, vimProject: VIM_B.tenant });
    const opdata = writeElement(childOf(await rpc!.request(GET_OPDATA), 'data')!);
    expect(opdata).toContain(`<id>${VIM_B_ID}</id><status>CONNECTION_SUCCESSFUL</status>`);
    expect(lines.some((l) => l.level === 'debug')).toBe(true);
    expect(lines.some((l) => l.message.includes('creating the ESC VIM connector'))).toBe(true);
    expect(lines.filter((l) => JSON.stringify(l).includes(VIM_B.password))).toEqual([]);
  }, 30_000);

  it('when the VNFD needs 2 distinct flavors, then each is created and awaited alone before the deploy; sent together they are an rpc-error', async () => {
    rig = await rigGrantingVimB({ vimConnectors: [{ id: VIM_B_ID, projects: [VIM_B.tenant] }] });
    const outcome = await runOperation(rig.base, '/vnfs', buildFwLbInstantiate());
    expect(outcome.last.status).toBe('finished');
    const types = sub!.notifications.map(eventType);
    expect(types.filter((t) => t === 'CREATE_FLAVOR')).toHaveLength(2);
    expect(types.lastIndexOf('CREATE_FLAVOR')).toBeLessThan(types.indexOf('VM_DEPLOYED'));
    expect(types.filter((t) => t === 'SERVICE_ALIVE')).toHaveLength(1);
    const flavors = sub!.notifications.filter((n) => eventType(n) === 'CREATE_FLAVOR').map((n) => textOf(childOf(n, 'escEvent'), 'flavor'));
    expect(new Set(flavors).size).toBe(2);

    // The same two flavors (as the driver writes each) in one edit-config.
    const both = flavors.map((name, i) =>
      parseXml(writeXml(buildFlavorConfig({ name: `${name!}-again`, vcpus: i + 1, memoryMb: 1024, rootDiskMb: 0 }))),
    );
    const combined = {
      ...both[0],
      children: [{ ...childOf(both[0], 'flavors')!, children: both.flatMap((b) => childOf(b, 'flavors')!.children) }],
    };
    const reply = await rpc!.request(editConfig(writeElement(combined)));
    const error = childOf(reply, 'rpc-error');
    expect(textOf(error, 'error-tag')).toBe('operation-not-supported');
    expect(textOf(error, 'error-message')).toMatch(/Combining 2 workflows \(create-flavor\)/);
  }, 30_000);
  it('when ESC fails a flavor, then the job fails naming that flavor and nothing is deployed', async () => {
    rig = await rigGrantingVimB({
      vimConnectors: [{ id: VIM_B_ID, projects: [VIM_B.tenant] }],
      faults: [{ kind: 'fail-at', step: 'CREATE_FLAVOR', message: 'Quota exceeded for flavors', once: true }],
    });
    const outcome = await runOperation(rig.base, '/vnfs', buildFwLbInstantiate());
    expect(outcome.last.status).toBe('error');
    expect(outcome.last.statusDescription).toMatch(/ESC could not create flavor onap-\S+: Quota exceeded for flavors/);
    expect(rig.sim.snapshot().deployments).toHaveLength(0);
  }, 30_000);
});
