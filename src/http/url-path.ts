/**
 * URLs of outgoing calls built from identifiers that came from outside (vnfmid, vnfInstanceId, package id, …):
 * each identifier is one encoded path segment, and the whole URL is checked to stay below its base path.
 */

/** A URL could not be built: an identifier would not be one path segment, or the path left its base. */
export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

/**
 * Tag of a path template whose every interpolated value is one path segment, percent-encoded:
 * `` pathOf`/api/nslcm/v1/vnfms/${vnfmId}` ``. An empty value, `.` or `..` (which an HTTP client would
 * resolve as a dot segment even when encoded) is refused with {@link UnsafeUrlError}.
 */
export function pathOf(literals: TemplateStringsArray, ...segments: string[]): string {
  let out = literals[0];
  segments.forEach((segment, i) => {
    if (typeof segment !== 'string' || segment === '' || segment === '.' || segment === '..') {
      throw new UnsafeUrlError(`"${String(segment)}" cannot be a path segment of ${literals.join('{}')}`);
    }
    out += encodeURIComponent(segment) + literals[i + 1];
  });
  return out;
}

/**
 * `baseUrl` followed by `path` (which starts with `/`), checked once resolved as a client resolves it: same
 * origin, and the path still below the base's own path with no segment removed or added by dot segments.
 * Throws {@link UnsafeUrlError} otherwise.
 */
export function urlUnder(baseUrl: string, path: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const joined = `${base}${path}`;
  let baseParsed: URL;
  let parsed: URL;
  try {
    baseParsed = new URL(`${base}/`);
    parsed = new URL(joined);
  } catch {
    throw new UnsafeUrlError(`"${path}" does not make a URL below the configured base`);
  }
  const expected = `${baseParsed.pathname.replace(/\/$/, '')}${path.split(/[?#]/)[0]}`;
  if (parsed.origin !== baseParsed.origin || parsed.pathname !== expected || !parsed.pathname.startsWith(baseParsed.pathname)) {
    throw new UnsafeUrlError(`"${path}" would leave the base path ${baseParsed.pathname}`);
  }
  return joined;
}
