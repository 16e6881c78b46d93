import type { VesEventRequest, VesFault, VesPublisher } from '../../src/ves/ves-port';

/** A VesPublisher that keeps what it is given, in order. */
export class RecordingVesPublisher implements VesPublisher {
  readonly events: VesEventRequest[] = [];

  publish(event: VesEventRequest): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }

  /** The alarmConditions whose last published fault on `sourceName` raised them (name order). */
  activeAlarms(sourceName: string): Promise<string[]> {
    const last = new Map<string, string>();
    for (const e of this.events) if (e.kind === 'fault' && e.sourceName === sourceName) last.set(e.alarmCondition, e.severity);
    return Promise.resolve(
      [...last]
        .filter(([, severity]) => severity !== 'NORMAL')
        .map(([c]) => c)
        .sort(),
    );
  }

  /** The faults published about `sourceName`, as `SEVERITY alarmCondition`. */
  faultsOf(sourceName: string): string[] {
    return this.events
      .filter((e): e is VesFault => e.kind === 'fault' && e.sourceName === sourceName)
      .map((e) => `${e.severity} ${e.alarmCondition}`);
  }
}
