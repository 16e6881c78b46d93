import type { SimulatorDelays } from './simulator-types';

/** Delays close to what an ESC on OpenStack shows (seconds per VM; guide event timestamps). */
export const REALISTIC_DELAYS: SimulatorDelays = {
  tenant: 500,
  network: 500,
  vmDeployed: 3000,
  vmAlive: 15000,
  vmUndeployed: 1000,
  vmAction: 2000,
  recovery: 3000,
  service: 200,
};

/** Parses `--delays`: 'zero', 'realistic', or 'key=ms,key=ms' over zero. */
export function parseDelays(spec: string): Partial<SimulatorDelays> {
  if (spec === 'realistic') return { ...REALISTIC_DELAYS };
  if (spec === 'zero' || spec === '0' || spec === '') return {};
  const out: Partial<SimulatorDelays> = {};
  for (const part of spec.split(',')) {
    const [k, v] = part.split('=');
    if (!k || !Object.hasOwn(REALISTIC_DELAYS, k) || v === undefined || !/^\d+$/.test(v)) {
      throw new Error(`invalid delay "${part}"; use zero, realistic or ${Object.keys(REALISTIC_DELAYS).join('|')}=ms,...`);
    }
    out[k as keyof SimulatorDelays] = Number(v);
  }
  return out;
}
