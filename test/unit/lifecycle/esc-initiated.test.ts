import { readEscEvent, type EscEventView } from '../../../src/esc/esc-event-view';
import type { NotifyOutboxPort } from '../../../src/lifecycle/ports';
import { createUnsolicitedEventHandler } from '../../../src/lifecycle/esc-initiated';
import { silentLog } from '../../../src/logging/log';
import type { VnfRecord } from '../../../src/vnfs/vnf-record';
import { readGuideXml } from '../esc/mapping/golden';

type Sent = Parameters<NotifyOutboxPort['enqueue']>[0];

const event = (file: string): EscEventView => readEscEvent(readGuideXml(file))!;

function buildVnf(tenant: string, deployment: string, vmGroup: string): VnfRecord {
  return {
    vnfInstanceId: 'vnf-1',
    vnfmId: 'vnfm-1',
    vnfInstanceName: 'v',
    vnfdId: 'd',
    vnfPackageId: 'p',
    status: 'ACTIVE',
    escTenant: tenant,
    escDeployment: deployment,
    attributes: { vimIdString: 'owner_region', escGroups: { [vmGroup]: { vduId: 'vdu_1', nics: { 0: { cpdId: 'cp_0' } } } } },
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
  };
}

function buildHandler(vnf: VnfRecord | undefined): { handle: (e: EscEventView) => Promise<void>; sent: Sent[] } {
  const sent: Sent[] = [];
  const handle = createUnsolicitedEventHandler({
    vnfs: { findByDeployment: async (t, d) => Promise.resolve(vnf && vnf.escTenant === t && vnf.escDeployment === d ? vnf : undefined) },
    outbox: { enqueue: async (m) => Promise.resolve(sent.push(m)) },
    log: silentLog,
    newId: () => 'job-esc-1',
  });
  return { handle, sent };
}

describe('createUnsolicitedEventHandler', () => {
  it('when ESC recovered a VM of ours onto a new vm_id, then a Heal RESULT reports the new VM MODIFIED with its port', async () => {
    const { handle, sent } = buildHandler(
      buildVnf('jenkins-service-recovery-tenant-408920', 'jenkins-service-recovery-dep-408920', '1-GROUP'),
    );
    await handle(event('event-vm-recovery-complete.xml'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ vnfmId: 'vnfm-1', vnfInstanceId: 'vnf-1', jobId: 'job-esc-1', status: 'RESULT', operation: 'Heal' });
    expect(sent[0].body.affectedVnfc).toEqual([
      expect.objectContaining({
        vmId: 'a57645ed-add6-4452-8424-83f4fcacf2df',
        vduId: 'vdu_1',
        changeType: 'MODIFIED',
        vimId: 'owner_region',
      }),
    ]);
    expect(sent[0].body.affectedCp[0]).toMatchObject({ cpInstanceId: '26636048-a57e-4be0-ba38-2227f30eae14', cpdId: 'cp_0' });
  });

  it.each([
    ['event-vm-scale-out-complete.xml', 'Scaleout', 'ADDED'],
    ['event-vm-scale-in-complete.xml', 'Scalein', 'REMOVED'],
  ])('when ESC reports %s on a deployment of ours, then a %s RESULT reports the VM %s', async (file, operation, changeType) => {
    const { handle, sent } = buildHandler(buildVnf('hezh-yesc-0520', 'dep', 'CSR'));
    await handle(event(file));
    expect(sent.map((m) => m.operation)).toEqual([operation]);
    expect(sent[0].body.affectedVnfc.map((v) => [v.changeType, v.vduId])).toEqual([[changeType, 'vdu_1']]);
  });

  it.each([
    ['an event of our own workflows', 'event-vm-deployed.xml', buildVnf('vnf-tenant', 'csr-dep', 'csr-vm')],
    ['a failure', 'event-service-stopped-failure.xml', buildVnf('hezh-yesc-0520', 'dep', 'CSR')],
    ['a deployment that is not ours', 'event-vm-scale-out-complete.xml', undefined],
  ])('when given %s, then nothing is sent', async (_w, file, vnf) => {
    const { handle, sent } = buildHandler(vnf);
    await handle(event(file));
    expect(sent).toEqual([]);
  });
});
