import { silentLog, type Log } from '../../../src/logging/log';
import { createMetrics } from '../../../src/metrics';
import type { DriverEvent, EscEventOccurred, VnfRef } from '../../../src/rules/driver-event';
import { RulesEngine, type EscVmActionPort } from '../../../src/rules/rules-engine';
import { parseRules } from '../../../src/rules/rules-file';
import { RecordingVesPublisher } from '../../support/recording-ves-publisher';

const VNF: VnfRef = { vnfInstanceId: 'vnf-1', vnfInstanceName: 'fw_lb_1', vnfType: 'vFW', vnfmId: 'vnfm-1', healingOwner: 'esc' };

function escEvent(over: Partial<EscEventOccurred> = {}): EscEventOccurred {
  return {
    kind: 'escEvent',
    type: 'VM_ALIVE',
    status: 'FAILURE',
    statusCode: '500',
    statusMessage: 'VM not alive',
    escHost: '127.0.0.1:830',
    tenant: 't',
    deployment: 'dep-1',
    vmGroup: 'vdu_fw',
    vduId: 'vdu_fw',
    escVmName: 'esc-vm-0',
    vmId: 'vm-0',
    vmName: 'fw-vm-0',
    vnf: VNF,
    timeMs: 1_700_000_000_000,
    ...over,
  };
}

function engineWith(yaml: string, opts: { clock?: { now: number }; log?: Log } = {}) {
  const publisher = new RecordingVesPublisher();
  const metrics = createMetrics({ collectDefaults: false });
  const clock = opts.clock ?? { now: 0 };
  const engine = new RulesEngine({ log: opts.log ?? silentLog, publisher, metrics, now: () => clock.now }, parseRules(yaml, 'rules.yaml'));
  return { engine, publisher, metrics, clock };
}

const WINDOW_RULES = `
rules:
  - name: flapping
    event: { types: [VM_ALIVE], statuses: [FAILURE] }
    trigger: { count: 3, windowSeconds: 60, groupBy: vdu }
    actions:
      - raiseFault: { alarmCondition: vmFlapping, specificProblem: 'VDU {vduId} flaps', severity: CRITICAL, source: vnf }
`;

describe('rules engine', () => {
  it('when asked which escEvents it wants, then only the types and statuses some rule names', () => {
    const { engine } = engineWith(WINDOW_RULES);
    expect(engine.wantsEscEvent('VM_ALIVE', 'FAILURE')).toBe(true);
    expect(engine.wantsEscEvent('VM_ALIVE', 'SUCCESS')).toBe(false);
    expect(engine.wantsEscEvent('SERVICE_ALIVE', 'FAILURE')).toBe(false);
  });

  it('when 5 failures of one VDU come within 60 s, then the rule fires once, on the 3rd; the next window fires again', async () => {
    const { engine, publisher, metrics, clock } = engineWith(WINDOW_RULES);
    for (let i = 0; i < 5; i++) {
      clock.now = i * 10_000;
      engine.emit(escEvent({ vmId: `vm-${i % 2}` }));
    }
    await engine.drain(1000);
    expect(publisher.events).toHaveLength(1);
    expect(publisher.events[0]).toMatchObject({
      kind: 'fault',
      severity: 'CRITICAL',
      alarmCondition: 'vmFlapping',
      specificProblem: 'VDU vdu_fw flaps',
      sourceName: 'fw_lb_1',
      eventSourceType: 'VNF',
      vnfInstanceId: 'vnf-1',
      vnfType: 'vFW',
    });
    expect(await metrics.registry.getSingleMetricAsString('vnfm_rule_matches_total')).toContain('rule="flapping"} 5');
    expect(await metrics.registry.getSingleMetricAsString('vnfm_rule_firings_total')).toContain('rule="flapping"} 1');

    // The window opened at t=0 ends at t=60 s: three more failures open a new window and fire once more.
    for (const t of [60_000, 61_000, 62_000]) {
      clock.now = t;
      engine.emit(escEvent());
    }
    await engine.drain(1000);
    expect(publisher.events).toHaveLength(2);
  });

  it('when failures of two VDUs interleave, then each VDU has its own window', async () => {
    const { engine, publisher } = engineWith(WINDOW_RULES);
    for (let i = 0; i < 3; i++) {
      engine.emit(escEvent({ vduId: 'vdu_fw' }));
      engine.emit(escEvent({ vduId: 'vdu_lb' }));
    }
    await engine.drain(1000);
    expect(publisher.events.map((e) => (e.kind === 'fault' ? e.specificProblem : e.changeType))).toEqual([
      'VDU vdu_fw flaps',
      'VDU vdu_lb flaps',
    ]);
  });

  it('when the rules are reloaded, then unchanged rules keep their windows and changed ones start afresh', async () => {
    const { engine, publisher } = engineWith(WINDOW_RULES);
    engine.emit(escEvent());
    engine.emit(escEvent());
    const other = `  - name: other\n    event: { kind: escUnreachable }\n    actions: [ { log: { message: m } } ]\n`;
    expect(engine.setRules(parseRules(WINDOW_RULES + other, 'rules.yaml'))).toEqual({
      kept: ['flapping'],
      added: ['other'],
      replaced: [],
      removed: [],
    });
    engine.emit(escEvent());
    await engine.drain(1000);
    expect(publisher.events).toHaveLength(1);

    const changed = WINDOW_RULES.replace('count: 3', 'count: 2');
    expect(engine.setRules(parseRules(changed, 'rules.yaml'))).toEqual({ kept: [], added: [], replaced: ['flapping'], removed: ['other'] });
    engine.emit(escEvent());
    await engine.drain(1000);
    expect(publisher.events).toHaveLength(1);
    engine.emit(escEvent());
    await engine.drain(1000);
    expect(publisher.events).toHaveLength(2);
  });

  it('when a VM event fires a raise and a clear, then the source is the VM by its NSLCM name and the details say what ESC said', async () => {
    const { engine, publisher } = engineWith(`
rules:
  - name: down
    event: { types: [VM_RECOVERY_INIT] }
    actions: [ { raiseFault: { alarmCondition: vmDown, specificProblem: 'VM {vmName} down', severity: MAJOR } } ]
  - name: up
    event: { types: [VM_RECOVERY_COMPLETE], statuses: [SUCCESS] }
    actions: [ { clearFault: { alarmCondition: vmDown } } ]
`);
    engine.emit(escEvent({ type: 'VM_RECOVERY_INIT', status: 'SUCCESS', timeMs: 5 }));
    engine.emit(escEvent({ type: 'VM_RECOVERY_COMPLETE', status: 'SUCCESS', timeMs: 6 }));
    engine.emit(escEvent({ type: 'VM_RECOVERY_COMPLETE', status: 'FAILURE' }));
    await engine.drain(1000);
    expect(publisher.events.map((e) => [e.kind, e.kind === 'fault' ? e.severity : '', e.sourceName, e.eventSourceType])).toEqual([
      ['fault', 'MAJOR', 'fw-vm-0', 'virtualMachine'],
      ['fault', 'NORMAL', 'fw-vm-0', 'virtualMachine'],
    ]);
    expect(publisher.events[0]).toMatchObject({
      specificProblem: 'VM fw-vm-0 down',
      eventTimeMs: 5,
      details: { rule: 'down', type: 'VM_RECOVERY_INIT', escVmName: 'esc-vm-0', deployment: 'dep-1', escHost: '127.0.0.1:830' },
    });
  });

  it('when a VM is removed or its VNF terminated, then every alarm still active on it is cleared, whatever the rules', async () => {
    const { engine, publisher } = engineWith(`
rules:
  - name: down
    event: { types: [VM_ALIVE], statuses: [FAILURE] }
    actions:
      - raiseFault: { alarmCondition: vmDown, specificProblem: 'VM {vmName} down', severity: MAJOR }
      - raiseFault: { alarmCondition: vmFlaky, specificProblem: 'VM {vmName} flaky', severity: MINOR }
      - raiseFault: { alarmCondition: vnfDegraded, specificProblem: 'VNF degraded', severity: MINOR, source: vnf }
  - name: gone
    event: { kind: vmRemoved }
    actions: [ { log: { level: info, message: 'VM {vmName} left by {operation}' } } ]
`);
    engine.emit(escEvent({ vmName: 'fw-vm-0' }));
    engine.emit(escEvent({ vmName: 'fw-vm-1', vmId: 'vm-1' }));
    engine.emit({ kind: 'vmRemoved', operation: 'Scalein', vmName: 'fw-vm-0', vmId: 'vm-0', vnf: VNF, timeMs: 7 });
    engine.emit({ kind: 'vmRemoved', operation: 'Scalein', vmName: 'fw-vm-9', vmId: 'vm-9', vnf: VNF, timeMs: 7 });
    await engine.drain(1000);
    const after = publisher.events.length;
    expect(
      publisher.events.slice(after - 2).map((e) => [e.sourceName, e.kind === 'fault' ? `${e.severity} ${e.alarmCondition}` : '']),
    ).toEqual([
      ['fw-vm-0', 'NORMAL vmDown'],
      ['fw-vm-0', 'NORMAL vmFlaky'],
    ]);
    expect(publisher.events[after - 1]).toMatchObject({
      specificProblem: 'VM fw-vm-0 removed (Scalein)',
      vfStatus: 'Idle',
      eventTimeMs: 7,
    });
    expect(await publisher.activeAlarms('fw-vm-1')).toEqual(['vmDown', 'vmFlaky']);
    expect(await publisher.activeAlarms('fw_lb_1')).toEqual(['vnfDegraded']);

    engine.emit({ kind: 'vnfTerminated', jobId: 'job-9', vnf: VNF, timeMs: 8 });
    await engine.drain(1000);
    expect(publisher.events.at(-1)).toMatchObject({
      sourceName: 'fw_lb_1',
      eventSourceType: 'VNF',
      alarmCondition: 'vnfDegraded',
      severity: 'NORMAL',
      specificProblem: 'VNF fw_lb_1 terminated',
    });
    expect(await publisher.activeAlarms('fw_lb_1')).toEqual([]);
  });

  it('when an ESC is unreachable, then the fault names the ESC host with no VNF instance', async () => {
    const { engine, publisher } = engineWith(`
rules:
  - name: esc-down
    event: { kind: escUnreachable }
    actions: [ { raiseFault: { alarmCondition: escUnreachable, specificProblem: '{reason}', severity: CRITICAL, source: esc } } ]
`);
    engine.emit({ kind: 'escUnreachable', escHost: '10.0.0.1:830', reason: 'ECONNREFUSED', timeMs: 1 });
    await engine.drain(1000);
    expect(publisher.events).toEqual([
      expect.objectContaining({
        sourceName: '10.0.0.1:830',
        eventSourceType: 'VNF',
        vnfInstanceId: '',
        vnfType: 'ESC',
        specificProblem: 'ECONNREFUSED',
      }),
    ]);
  });

  it('when an event concerns no VNF of ours, then VM and VNF actions are skipped; a threshold filters on the status code', async () => {
    const { engine, publisher } = engineWith(`
rules:
  - name: down
    event: { types: [VM_ALIVE] }
    trigger: { threshold: { field: statusCode, operator: '>=', value: 500 } }
    actions: [ { raiseFault: { alarmCondition: a, specificProblem: b, severity: MINOR } } ]
`);
    engine.emit(escEvent({ vnf: undefined }));
    engine.emit(escEvent({ statusCode: '200' }));
    engine.emit(escEvent({ statusCode: '503' }));
    await engine.drain(1000);
    expect(publisher.events).toHaveLength(1);
  });

  it('when a rule asks ESC for a vmAction or a recovery, then the ESC port is called with the VNFM and ESC VM name; failures are counted', async () => {
    const calls: string[] = [];
    const port: EscVmActionPort = {
      vmAction: (vnfm, vm, action, force) => (calls.push(`${vnfm} ${vm} ${action} ${force}`), Promise.resolve()),
      recoveryVmAction: (vnfm, vm) => (calls.push(`${vnfm} ${vm} recover`), Promise.reject(new Error('refused'))),
    };
    const { engine, metrics } = engineWith(`
rules:
  - name: act
    event: { types: [VM_ALIVE] }
    actions: [ { vmAction: { action: REBOOT } }, { recoveryVmAction: {} } ]
`);
    engine.useEscActions(port);
    engine.emit(escEvent());
    await engine.drain(1000);
    expect(calls).toEqual(['vnfm-1 esc-vm-0 REBOOT false', 'vnfm-1 esc-vm-0 recover']);
    expect(await metrics.registry.getSingleMetricAsString('vnfm_rule_action_failures_total')).toContain(
      'rule="act",action="recoveryVmAction"} 1',
    );
  });

  it('when no VES publisher is configured, then VES actions are logged at debug as VES off and nothing fails', async () => {
    const lines: string[] = [];
    const log: Log = { ...silentLog, debug: (m: string) => lines.push(m), child: () => log };
    const engine = new RulesEngine({ log }, parseRules(WINDOW_RULES.replace('count: 3', 'count: 1'), 'rules.yaml'));
    engine.emit(escEvent());
    await engine.drain(1000);
    expect(lines).toContain('VES is off: rule action not sent');
  });

  it('when a log action fires, then its message is filled from the event', () => {
    const lines: string[] = [];
    const log: Log = { ...silentLog, warn: (m: string) => lines.push(m), child: () => log };
    const { engine } = engineWith(
      `rules:\n  - name: l\n    event: { kind: jobFailed }\n    actions: [ { log: { level: warn, message: '{operation} of {vnfInstanceName} failed: {errorCode}' } } ]\n`,
      { log },
    );
    const failed: DriverEvent = {
      kind: 'jobFailed',
      operation: 'heal',
      jobId: 'j',
      errorCode: 'ESC_FAILED',
      message: 'm',
      vnf: VNF,
      timeMs: 0,
    };
    engine.emit(failed);
    expect(lines).toEqual(['heal of fw_lb_1 failed: ESC_FAILED']);
  });
});
