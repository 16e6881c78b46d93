import { notifySummaryLine } from '../../../../src/standalone/demo/notify-summary';
import type { StoredNotification } from '../../../../src/standalone/standalone-store';

function notification(body: unknown, over: Partial<StoredNotification> = {}): StoredNotification {
  return {
    id: 7,
    vnfmId: 'esc-1',
    vnfInstanceId: 'vnf-1',
    jobId: 'job-1',
    status: 'RESULT',
    operation: 'Scaleout',
    receivedAt: '2026-01-01T00:00:00Z',
    body,
    ...over,
  };
}

describe('the Notify summary line', () => {
  it('when a Notify adds, removes and modifies entries, then the line counts each list by change type', () => {
    const line = notifySummaryLine(
      notification({
        affectedVnfc: [{ changeType: 'ADDED' }, { changeType: 'ADDED' }, { changeType: 'REMOVED' }],
        affectedVl: [],
        affectedCp: [{ changeType: 'MODIFIED' }, { changeType: 'TEMPORARY' }],
        affectedVirtualStorage: [],
      }),
    );

    expect(line).toBe('#7 Scaleout RESULT  VNFC 3 [+2 -1]  VL 0  CP 2 [~1 t1]  job job-1');
  });

  it('when the change types are lower case (pre-2019 dialect) or a list is missing, then they count the same and the missing list as 0', () => {
    const line = notifySummaryLine(
      notification(
        { affectedVnfc: [{ changeType: 'removed' }], affectedCp: [{ changeType: 'added' }] },
        {
          status: 'START',
          operation: 'Terminate',
          jobId: null,
        },
      ),
    );

    expect(line).toBe('#7 Terminate START  VNFC 1 [-1]  VL 0  CP 1 [+1]  job -');
  });

  it('when an entry has an unknown change type, then it is counted under its own name', () => {
    expect(notifySummaryLine(notification({ affectedVl: [{ changeType: 'MOVED' }, {}] }))).toBe(
      '#7 Scaleout RESULT  VNFC 0  VL 2 [MOVED 1 ? 1]  CP 0  job job-1',
    );
  });
});
