import { createProgressView } from '../../../../src/standalone/demo/progress-view';

function buildOutput(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, columns: 120, write: (t: string) => chunks.push(t), text: () => chunks.join('') };
}

const entry = (responseId: string, progress: number, status = 'processing', statusDescription = `step ${responseId}`) => ({
  responseId,
  progress,
  status,
  statusDescription,
});

describe('job progress view', () => {
  it('when not on a TTY, then each new entry is one plain line and repeated entries are not printed again', () => {
    const out = buildOutput(false);
    const view = createProgressView(out);
    view.begin('heal', 'job-1');
    view.update(entry('2', 20));
    view.update(entry('2', 20));
    view.end(entry('3', 100, 'finished', 'done'));
    expect(out.text()).toBe('[heal] job job-1 started\n[heal]  20% processing step 2\n[heal] 100% finished done\n');
  });

  it('when on a TTY, then one bar is redrawn in place and left on its own line at the end', () => {
    const out = buildOutput(true);
    const view = createProgressView(out);
    view.begin('scale out', 'job-1');
    view.update(entry('2', 50));
    view.end(entry('3', 100, 'finished', 'all VMs alive'));
    const text = out.text();
    expect(text.split('\r\u001b[2K')).toHaveLength(4);
    expect(text).toContain(`${'█'.repeat(15)}${'░'.repeat(15)}    50%`);
    expect(text.endsWith(`${'█'.repeat(30)}   done  all VMs alive\n`)).toBe(true);
  });

  it('when a job ends in error on a TTY, then the bar says FAILED', () => {
    const out = buildOutput(true);
    const view = createProgressView(out);
    view.begin('terminate', 'job-1');
    view.end(entry('4', 255, 'error', 'ESC rejected undeploy'));
    expect(out.text()).toMatch(/FAILED {2}ESC rejected undeploy\n$/);
  });
});
