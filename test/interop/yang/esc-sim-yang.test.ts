import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../src/simulator';
import { childOf, writeElement } from '../../../src/xml';
import { eventType, RawNetconfClient, SUBSCRIBE } from '../../component/simulator/raw-netconf-client';
import { yanglintAvailable, yanglintProblem } from '../../support/yanglint';

const MODULE = join(__dirname, '../../../src/simulator/yang/esc-sim.yang');
const FIXTURES = join(__dirname, '../../fixtures/esc-guide');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

const available = yanglintAvailable();
const maybe = available ? describe : describe.skip;

function yanglint(type: string, file: string): string {
  return yanglintProblem(type, [MODULE], file);
}

maybe('simulator output against the project YANG module (yanglint)', () => {
  let sim: RunningSimulator;
  let sub: RawNetconfClient;
  let rpc: RawNetconfClient;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esc-sim-yang-'));
    sim = await startSimulator({ port: 0, faults: [{ kind: 'fail-at', step: 'VM_ALIVE', match: { deployment: 'failing-dep' } }] });
    sub = await RawNetconfClient.connect(sim.port);
    rpc = await RawNetconfClient.connect(sim.port);
    await sub.request(SUBSCRIBE);
  });

  afterAll(async () => {
    sub.end();
    rpc.end();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('when the module is compiled, then yanglint accepts it', () => {
    expect(spawnSync('yanglint', [MODULE], { encoding: 'utf8' }).status).toBe(0);
  });

  test('when a whole lifecycle runs, then every escEvent and the opdata replies validate', async () => {
    const deploy = fixture('deploy-service.request.xml');
    await rpc.request(deploy);
    await sub.event('SERVICE_ALIVE');
    const opdata: string[] = [writeElement(childOf(await rpc.request(fixture('get-all-opdata.request.xml')), 'data')!.children[0])];
    for (const req of ['service-stop', 'service-start', 'service-reboot', 'service-disable-monitor', 'service-enable-monitor']) {
      const from = sub.notifications.length;
      await rpc.request(fixture(`${req}.request.xml`).replace('sampleTenant', 'vnf-tenant').replace('sampleDep ', 'csr-dep'));
      await sub.waitFor(() => sub.notifications.slice(from).some((n) => (eventType(n) ?? '').startsWith('SERVICE_')));
    }
    const vm = sim.snapshot().deployments[0].vms[0].name;
    let from = sub.notifications.length;
    await rpc.request(fixture('recovery-vm.request.xml').replace(' sampleVmName ', vm));
    await sub.event('VM_RECOVERY_COMPLETE', from);
    // ESC-initiated workflows: auto recovery of a VM that went down, elastic scale-out and scale-in.
    from = sub.notifications.length;
    sim.killVm(vm);
    await sub.event('VM_RECOVERY_COMPLETE', from);
    from = sub.notifications.length;
    sim.elasticScale('out', { tenant: 'vnf-tenant', deployment: 'csr-dep', vmGroup: 'csr-vm' });
    await sub.event('VM_SCALE_OUT_COMPLETE', from);
    sim.elasticScale('in', { tenant: 'vnf-tenant', deployment: 'csr-dep', vmGroup: 'csr-vm' });
    await sub.event('VM_SCALE_IN_COMPLETE', from);
    await rpc.request(deploy.replace('<name>csr-dep</name>', '<name>failing-dep</name>'));
    await sub.event('SERVICE_ALIVE', from);
    opdata.push(writeElement(childOf(await rpc.request(fixture('get-deployment-opdata.request.xml')), 'data')!.children[0]));
    from = sub.notifications.length;
    await rpc.request(fixture('undeploy-service.request.xml'));
    await sub.event('SERVICE_UNDEPLOYED', from);

    const types = new Set(sub.notifications.map((n) => eventType(n)));
    expect(types.size).toBeGreaterThanOrEqual(15);
    const problems: string[] = [];
    sub.notifications.forEach((n, i) => {
      const f = join(dir, `event-${i}.xml`);
      writeFileSync(f, writeElement(n));
      problems.push(yanglint('nc-notif', f));
    });
    opdata.forEach((xml, i) => {
      const f = join(dir, `opdata-${i}.xml`);
      writeFileSync(f, xml);
      problems.push(yanglint('data', f));
    });
    expect(problems.filter((p) => p !== '')).toEqual([]);
    expect(sub.notifications.some((n) => JSON.stringify(n).includes('FAILURE'))).toBe(true);
  }, 60_000);

  test('when a flavor, a VIM connector and its user are created, then their escEvents and opdata validate', async () => {
    const edit = (config: string): string =>
      `<rpc message-id="9" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><edit-config><target><running/></target><config>${config}</config></edit-config></rpc>`;
    const esc = 'xmlns="http://www.cisco.com/esc/esc"';
    const from = sub.notifications.length;
    await rpc.request(
      edit(
        `<esc_datamodel ${esc}><flavors><flavor><name>f1</name><vcpus>1</vcpus><memory_mb>512</memory_mb><root_disk_mb>0</root_disk_mb></flavor></flavors></esc_datamodel>`,
      ),
    );
    await sub.event('CREATE_FLAVOR', from);
    const props = (pairs: [string, string][]): string =>
      `<properties>${pairs.map(([n, v]) => `<property><name>${n}</name><value>${v}</value></property>`).join('')}</properties>`;
    await rpc.request(
      edit(
        `<esc_system_config ${esc}><vim_connectors><vim_connector><id>vim-b</id><type>OPENSTACK</type>${props([
          ['os_auth_url', 'http://127.0.0.1:5000/v3'],
          ['os_project_name', 'p1'],
        ])}</vim_connector></vim_connectors></esc_system_config>`,
      ),
    );
    await sub.event('CREATE_VIM_CONNECTOR', from);
    await rpc.request(
      edit(
        `<esc_system_config ${esc}><vim_connectors><vim_connector><id>vim-b</id><users><user><id>u1</id><credentials>${props([
          ['os_password', 'pw'],
        ])}</credentials></user></users></vim_connector></vim_connectors></esc_system_config>`,
      ),
    );
    await sub.event('CREATE_VIM_USER', from);
    const opdata = writeElement(childOf(await rpc.request(fixture('get-all-opdata.request.xml')), 'data')!.children[0]);
    expect(opdata).toContain('<flavor_id>');
    expect(opdata).toContain('<status>CONNECTION_SUCCESSFUL</status>');
    const problems: string[] = [];
    sub.notifications.slice(from).forEach((n, i) => {
      const f = join(dir, `resource-event-${i}.xml`);
      writeFileSync(f, writeElement(n));
      problems.push(yanglint('nc-notif', f));
    });
    const f = join(dir, 'resource-opdata.xml');
    writeFileSync(f, opdata);
    problems.push(yanglint('data', f));
    expect(problems.filter((p) => p !== '')).toEqual([]);
    expect(sub.notifications.slice(from).map((n) => eventType(n))).toEqual(['CREATE_FLAVOR', 'CREATE_VIM_CONNECTOR', 'CREATE_VIM_USER']);
  }, 30_000);
});
