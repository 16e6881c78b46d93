import path from 'node:path';
import type { RunningService } from '../../src/main';
import { loadDemoPlan, type DemoPlan } from '../../src/standalone/demo/demo-plan';

/** The demo plan `npm run demo` follows. */
export const DEMO_PLAN_FILE = path.join(__dirname, '../../config/standalone/demo.json');

/** An output for the demos that keeps what they write. */
export function bufferOutput(isTTY = false): { write(t: string): boolean; isTTY: boolean; text(): string } {
  const chunks: string[] = [];
  return { isTTY, write: (t: string) => chunks.push(t) > 0, text: () => chunks.join('') };
}

/** The options a demo run against `service` starts from: the shipped plan, quick polls, generous timeouts. */
export function demoAgainst(service: RunningService): {
  driverUrl: string;
  vnfmType: string;
  plan: DemoPlan;
  pollIntervalMs: number;
  jobTimeoutMs: number;
  notifyTimeoutMs: number;
} {
  return {
    driverUrl: service.url,
    vnfmType: service.config.vnfmType,
    plan: loadDemoPlan(DEMO_PLAN_FILE),
    pollIntervalMs: 50,
    jobTimeoutMs: 60_000,
    notifyTimeoutMs: 10_000,
  };
}
