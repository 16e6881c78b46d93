import { silentLog } from '../../../src/logging/log';
import type { DriverEvent, EscEventOccurred, VnfRef } from '../../../src/rules/driver-event';
import { RulesEngine } from '../../../src/rules/rules-engine';
import { loadRulesFile } from '../../../src/rules/rules-file';
import { DEFAULT_RULES_FILE } from '../../../src/rules/rules-source';
import { vesEventProblems } from '../../../src/ves/ves-event-checks';
import { toVesEvent } from '../../../src/ves/ves-event-mapper';
import { RecordingVesPublisher } from '../../support/recording-ves-publisher';

const VNF: VnfRef = { vnfInstanceId: 'vnf-1', vnfInstanceName: 'fw_lb_1', vnfType: 'vFW', vnfmId: 'vnfm-1', healingOwner: 'esc' };

const vmEvent = (type: string, status: string): EscEventOccurred => ({
  kind: 'escEvent',
  type,
  status,
  statusCode: status === 'SUCCESS' ? '200' : '500',
  statusMessage: `${type} ${status}`,
  escHost: '127.0.0.1:830',
  tenant: 't',
  deployment: 'dep-1',
  vmGroup: 'vdu_fw',
  vduId: 'vdu_fw',
  escVmName: 'fw-0',
  vmId: 'vm-0',
  vmName: 'fw-0',
  vnf: VNF,
  timeMs: 1_700_000_000_000,
});

describe('the default rules through the VES mapping', () => {
  it('when every default rule fires, then each VES event it decides is one a collector accepts', async () => {
    const publisher = new RecordingVesPublisher();
    const engine = new RulesEngine({ log: silentLog, publisher }, loadRulesFile(DEFAULT_RULES_FILE));
    const events: DriverEvent[] = [
      vmEvent('VM_RECOVERY_INIT', 'SUCCESS'),
      vmEvent('VM_ALIVE', 'FAILURE'),
      vmEvent('VM_RECOVERY_COMPLETE', 'SUCCESS'),
      vmEvent('VM_ALIVE', 'SUCCESS'),
      vmEvent('VM_RECOVERY_COMPLETE', 'FAILURE'),
      { kind: 'escUnreachable', escHost: '10.0.0.1:830', reason: 'connect ECONNREFUSED', timeMs: 1 },
      { kind: 'escReachable', escHost: '10.0.0.1:830', timeMs: 2 },
      vmEvent('VM_SCALE_OUT_COMPLETE', 'SUCCESS'),
      vmEvent('VM_SCALE_IN_COMPLETE', 'SUCCESS'),
    ];
    for (const e of events) engine.emit(e);
    await engine.drain(1000);

    expect(
      publisher.events.map((e) =>
        e.kind === 'fault' ? `${e.severity} ${e.alarmCondition} ${e.sourceName}` : `${e.changeType} ${e.sourceName}`,
      ),
    ).toEqual([
      'MAJOR vmDown fw-0',
      'MAJOR vmDown fw-0',
      'NORMAL vmDown fw-0',
      'NORMAL vmDown fw-0',
      'CRITICAL vmDown fw-0',
      'CRITICAL escUnreachable 10.0.0.1:830',
      'NORMAL escUnreachable 10.0.0.1:830',
      'VM_SCALE_OUT_COMPLETE fw_lb_1',
      'VM_SCALE_IN_COMPLETE fw_lb_1',
    ]);
    publisher.events.forEach((e, i) => {
      const ves = toVesEvent(e, {
        eventId: `id-${i}`,
        sequence: i + 1,
        reportingEntityName: 'ciscovnfmdriver',
        reportedAtMs: 1_700_000_001_000,
      });
      expect({ i, problems: vesEventProblems(ves) }).toEqual({ i, problems: [] });
    });
  });
});
