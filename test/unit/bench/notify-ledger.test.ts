import { accountNotifies, type AcceptedNotify, type FaultEvent, type StartedJob } from '../../../bench/lib/notify-ledger';

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** One VNF's three jobs, all finished. */
const jobs: StartedJob[] = [
  { vnfInstanceId: 'vnf-1', jobId: 'inst', outcome: 'finished' },
  { vnfInstanceId: 'vnf-1', jobId: 'scale', outcome: 'finished' },
  { vnfInstanceId: 'vnf-1', jobId: 'term', outcome: 'finished' },
];

const told = (jobId: string, status: string, at: number, vnfInstanceId = 'vnf-1'): AcceptedNotify => ({
  vnfInstanceId,
  jobId,
  status,
  operation: 'x',
  at: T0 + at,
});

/** Every message once, in order, 10 ms apart. */
const inOrder = (): AcceptedNotify[] => jobs.flatMap((j, i) => [told(j.jobId, 'START', 20 * i), told(j.jobId, 'RESULT', 20 * i + 10)]);

describe('accountNotifies', () => {
  it('when every job told START then RESULT once, in the order of the jobs, then nothing is missing, duplicated or out of order', () => {
    expect(accountNotifies(jobs, inOrder(), [])).toEqual({
      expected: 6,
      accepted: 6,
      duplicates: [],
      missing: [],
      outOfOrder: [],
      unrelated: [],
    });
  });

  it('when a RESULT never came, then it is missing', () => {
    const notifies = inOrder().filter((n) => !(n.jobId === 'scale' && n.status === 'RESULT'));

    expect(accountNotifies(jobs, notifies, []).missing).toEqual(['scale RESULT']);
  });

  it('when a job failed before it told anything, then it owes nothing; once it told START, it owes its RESULT', () => {
    const failed: StartedJob[] = [
      { vnfInstanceId: 'vnf-2', jobId: 'early', outcome: 'error' },
      { vnfInstanceId: 'vnf-3', jobId: 'late', outcome: 'error' },
      { vnfInstanceId: 'vnf-4', jobId: 'running' },
    ];
    const account = accountNotifies(failed, [told('late', 'START', 0, 'vnf-3')], []);

    expect(account.missing).toEqual(['late RESULT']);
    expect(account.expected).toBe(2);
  });

  it('when a message came twice with a kill of a replica in between, then it is a duplicate explained by that kill', () => {
    const faults: FaultEvent[] = [
      { at: T0 + 5, replica: 'replica-2', kind: 'kill' },
      { at: T0 + 500, replica: 'replica-3', kind: 'freeze' },
    ];
    const notifies = [...inOrder(), told('inst', 'START', 40)];
    const [dup] = accountNotifies(jobs, notifies, faults).duplicates;

    expect(dup).toMatchObject({ jobId: 'inst', status: 'START', deliveries: [T0, T0 + 40] });
    expect(dup.explanation).toContain('replica-2 killed 5 ms after');
    expect(dup.explanation).not.toContain('replica-3');
  });

  it('when its sender was killed just before NSLCM read the first delivery, then the duplicate is explained by its request in flight', () => {
    const faults: FaultEvent[] = [{ at: T0 - 80, replica: 'replica-3', kind: 'kill' }];
    const notifies = [...inOrder(), told('inst', 'START', 40)];

    expect(accountNotifies(jobs, notifies, faults).duplicates[0].explanation).toContain(
      'replica-3 killed 80 ms before (its request in flight)',
    );
  });

  it('when a message came twice with no kill or freeze in between (or long before), then the duplicate is not explained', () => {
    const faults: FaultEvent[] = [
      { at: T0 + 1000, replica: 'replica-2', kind: 'kill' },
      { at: T0 - 1500, replica: 'replica-3', kind: 'freeze' },
    ];
    const notifies = [...inOrder(), told('inst', 'START', 40)];

    expect(accountNotifies(jobs, notifies, faults).duplicates[0].explanation).toBeUndefined();
  });

  it("when the scale's START came before the instantiate's RESULT, then the VNF is out of order; a late repeat is not", () => {
    const swapped = inOrder();
    [swapped[1], swapped[2]] = [swapped[2], swapped[1]];
    const repeated = [...inOrder(), told('inst', 'RESULT', 100)];

    expect(accountNotifies(jobs, swapped, []).outOfOrder).toEqual(['vnf-1']);
    expect(accountNotifies(jobs, repeated, []).outOfOrder).toEqual([]);
  });

  it('when NSLCM was told of a change no job of the run made, then it is listed apart', () => {
    const notifies = [...inOrder(), { vnfInstanceId: 'vnf-1', jobId: 'esc-heal-1', status: 'RESULT', operation: 'Heal', at: T0 + 99 }];

    expect(accountNotifies(jobs, notifies, []).unrelated).toEqual(['vnf-1 Heal']);
  });
});
