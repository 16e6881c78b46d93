import { getJson } from '../../support/http-service';

/** The statusDescriptions of a job's whole history (oldest first), read with responseId 0. */
export async function historyOf(jobUrl: string): Promise<string[]> {
  const res = await getJson(`${jobUrl}?responseId=0`);
  if (res.status !== 200) return [];
  const d = res.body.responseDescriptor as { statusDescription: string; responseHistoryList: Array<{ statusDescription: string }> };
  return [...d.responseHistoryList]
    .reverse()
    .map((h) => h.statusDescription)
    .concat(d.statusDescription);
}

/** A duration from the environment (ms), or the default when unset or not a number. */
export function envMs(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
