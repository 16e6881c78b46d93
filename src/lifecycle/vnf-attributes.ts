import type { VnfRecord } from '../vnfs/vnf-record';

/** The VIM id (`owner_region`) the grant named, as kept in the VNF record's attributes; '' when unknown. */
export function vimIdStringOf(vnf: VnfRecord): string {
  const v = vnf.attributes.vimIdString;
  return typeof v === 'string' ? v : '';
}
