import type { VesEventRequest, VesFault, VesPublisher } from '../../src/ves/ves-port';

/** A VesPublisher that keeps what it is given, in order. */
export class RecordingVesPublisher implements VesPublisher {
  readonly events: VesEventRequest[] = [];

  publish(event: VesEventRequest): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }

  /** The faults published about `sourceName`, as `SEVERITY alarmCondition`. */
  faultsOf(sourceName: string): string[] {
    return this.events
      .filter((e): e is VesFault => e.kind === 'fault' && e.sourceName === sourceName)
      .map((e) => `${e.severity} ${e.alarmCondition}`);
  }
}
