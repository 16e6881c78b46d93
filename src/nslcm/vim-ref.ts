import type { VimRef } from './nslcm-types';

/**
 * Splits NSLCM's `owner_region` VIM id at the first underscore (ONAP cloud owners do not contain one).
 * Throws when there is no underscore or either side is empty.
 */
export function splitVimId(vimId: string): VimRef {
  const i = vimId.indexOf('_');
  if (i <= 0 || i === vimId.length - 1) throw new Error(`VIM id "${vimId}" is not of the form <cloud_owner>_<cloud_regionid>`);
  return { cloudOwner: vimId.slice(0, i), cloudRegionId: vimId.slice(i + 1) };
}

/**
 * Reads a VIM reference as NSLCM sends it in `additionalParam.vimId`: an object or a JSON string of
 * `{cloud_owner, cloud_regionid}`, or an `owner_region` string. Throws on anything else.
 */
export function parseVimRef(value: unknown): VimRef {
  let v = value;
  if (typeof v === 'string') {
    const text = v.trim();
    if (!text.startsWith('{')) return splitVimId(text);
    try {
      v = JSON.parse(text);
    } catch {
      throw new Error('VIM reference is a string that is neither JSON nor <cloud_owner>_<cloud_regionid>');
    }
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.cloud_owner === 'string' && o.cloud_owner && typeof o.cloud_regionid === 'string' && o.cloud_regionid) {
      return { cloudOwner: o.cloud_owner, cloudRegionId: o.cloud_regionid };
    }
  }
  throw new Error('VIM reference lacks cloud_owner / cloud_regionid');
}
