/** Recognising NSLCM's job-status poll in a raw request URL, without parsing it the long way (see request-listener.ts). */

const RESPONSE_ID_PARAM = 'responseId=';

/**
 * N of the query string NSLCM sends on every poll, `responseId=N` alone with N of 1 to 15 digits, read without
 * allocating; -1 for any other query string (parsed the long way, as the generic route does).
 */
export function plainResponseId(url: string, queryStart: number): number {
  if (!url.startsWith(RESPONSE_ID_PARAM, queryStart)) return -1;
  const first = queryStart + RESPONSE_ID_PARAM.length;
  const digits = url.length - first;
  if (digits < 1 || digits > 15) return -1;
  let n = 0;
  for (let i = first; i < url.length; i++) {
    const d = url.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** True when `url` has the lower-case ASCII text `lower` at `at`, letters compared without case. */
function hasFolded(url: string, lower: string, at: number): boolean {
  if (url.length < at + lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = url.charCodeAt(at + i);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** End of the path segment starting at `from` (at '/', '?' or the end); -1 when it holds '%' or '#' (left to Express). */
function segmentEnd(url: string, from: number): number {
  for (let i = from; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x2f || c === 0x3f) return i;
    if (c === 0x25 || c === 0x23) return -1;
  }
  return url.length;
}

/**
 * The vnfmid, the jobId and the query start (-1 for none) of `/api/<vnfmType>/v1/{vnfmid}/jobs/{jobId}[/][?query]`, matched as
 * Express matches the lifecycle route (literal parts without case, one trailing slash allowed) but only for
 * ids needing no decoding; undefined otherwise (Express's router then handles the request).
 */
export function matchPollPath(url: string, vnfmType: string): { vnfmId: string; jobId: string; queryStart: number } | undefined {
  if (!hasFolded(url, '/api/', 0) || !url.startsWith(vnfmType, 5)) return undefined;
  let i = 5 + vnfmType.length;
  if (!hasFolded(url, '/v1/', i)) return undefined;
  i += 4;
  const vnfmEnd = segmentEnd(url, i);
  if (vnfmEnd <= i || !hasFolded(url, '/jobs/', vnfmEnd)) return undefined;
  const vnfmId = url.slice(i, vnfmEnd);
  i = vnfmEnd + 6;
  const jobEnd = segmentEnd(url, i);
  if (jobEnd <= i) return undefined;
  const jobId = url.slice(i, jobEnd);
  i = jobEnd;
  if (url.charCodeAt(i) === 0x2f) i++;
  if (i === url.length) return { vnfmId, jobId, queryStart: -1 };
  return url.charCodeAt(i) === 0x3f ? { vnfmId, jobId, queryStart: i + 1 } : undefined;
}
