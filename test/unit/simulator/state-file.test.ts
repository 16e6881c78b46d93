import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EscEngine } from '../../../src/simulator/esc-engine';
import type { EscEvent } from '../../../src/simulator/esc-event-writer';
import { FaultBook } from '../../../src/simulator/fault-book';
import { ZERO_DELAYS } from '../../../src/simulator/simulator';
import { StateFile, STATE_FILE } from '../../../src/simulator/state-file';
import { parseXml, writeElement } from '../../../src/xml';
import { ESC_NS, NC_NS } from './sim-test-helpers';

const edit = (inner: string) => parseXml(`<config xmlns:nc="${NC_NS}">${inner}</config>`);
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};
const flavor = edit(`<esc_datamodel xmlns="${ESC_NS}"><flavors><flavor><name>f1</name><vcpus>1</vcpus></flavor></flavors></esc_datamodel>`);
const deploy = edit(
  `<esc_datamodel xmlns="${ESC_NS}"><tenants><tenant><name>t</name><deployments><deployment><name>d</name><vm_group><name>g</name></vm_group></deployment></deployments></tenant></tenants></esc_datamodel>`,
);

describe('StateFile', () => {
  let dir: string;
  const engines: EscEngine[] = [];
  const files: StateFile[] = [];
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-state-'))));
  afterEach(() => {
    for (const e of engines.splice(0)) e.stop();
    for (const f of files.splice(0)) f.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function engineWith(delays = {}): { engine: EscEngine; file: StateFile; events: EscEvent[] } {
    const events: EscEvent[] = [];
    const engine = new EscEngine({ ...ZERO_DELAYS, ...delays }, new FaultBook(), (e) => events.push(e));
    engines.push(engine);
    const file = new StateFile(dir, engine);
    files.push(file);
    engine.resumeActivations(file.load());
    engine.onChange = () => file.changed();
    return { engine, file, events };
  }

  it('when the simulator restarts, then configuration, flavors and deployments with their VMs are read back unchanged', async () => {
    const first = engineWith();
    first.engine.editConfig(flavor, 'merge');
    await settle();
    first.engine.editConfig(deploy, 'merge');
    await settle();
    first.file.save();
    expect(fs.statSync(path.join(dir, STATE_FILE)).mode & 0o777).toBe(0o600);
    const vm = first.engine.state.deployment('t', 'd')!.vms[0];

    const second = engineWith();
    expect(writeElement(second.engine.running)).toBe(writeElement(first.engine.running));
    expect(second.engine.state.flavors.get('f1')).toEqual(first.engine.state.flavors.get('f1'));
    expect(second.engine.state.deployment('t', 'd')?.state).toBe('SERVICE_ACTIVE_STATE');
    expect(second.engine.state.findVm(vm.name)?.vm.vmId).toBe(vm.vmId);
    expect(second.events).toEqual([]);
  });

  it('when the simulator stopped during a deploy, then the deploy runs again after the restart and ends with SERVICE_ALIVE', async () => {
    const first = engineWith({ vmAlive: 60_000 });
    first.engine.editConfig(deploy, 'merge');
    await settle();
    first.file.save();
    first.engine.stop();

    const second = engineWith();
    await settle();
    expect(second.events.map((e) => e.type)).toEqual(['VM_DEPLOYED', 'VM_ALIVE', 'SERVICE_ALIVE']);
    expect(second.engine.state.deployment('t', 'd')?.vms).toHaveLength(1);
  });
});
