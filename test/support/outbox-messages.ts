import type { OutboxMessage } from '../../src/nslcm/notify-outbox';
import type { NotifyBody } from '../../src/nslcm/nslcm-types';

/** An Instantiate Notify of VNF `vnf` that affected nothing, as the outbox is given it; `extra` changes any field. */
export function outboxMessage(vnf: string, jobId: string, status: 'START' | 'RESULT', extra: Partial<OutboxMessage> = {}): OutboxMessage {
  const body: NotifyBody = {
    status,
    operation: 'Instantiate',
    jobId,
    affectedVnfc: [],
    affectedVl: [],
    affectedCp: [],
    affectedVirtualStorage: [],
  };
  return { vnfmId: 'vnfm-1', vnfInstanceId: vnf, jobId, status, operation: 'Instantiate', body, ...extra };
}
