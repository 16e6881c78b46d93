import { randomUUID } from 'node:crypto';
import { currentTrace } from './trace-context';

/** ONAP's tracing headers (ONAP logging specification). */
const ONAP_REQUEST_ID = 'X-ONAP-RequestID';
const ONAP_INVOCATION_ID = 'X-InvocationID';
const ONAP_PARTNER_NAME = 'X-ONAP-PartnerName';

/**
 * The tracing headers of one outgoing call: the request id of the work in progress (a new one when the call
 * belongs to none, e.g. MSB registration), a fresh invocation id for this call and our own name as partner.
 */
export function onapHeaders(partnerName: string): Record<string, string> {
  return {
    [ONAP_REQUEST_ID]: currentTrace()?.requestId ?? randomUUID(),
    [ONAP_INVOCATION_ID]: randomUUID(),
    [ONAP_PARTNER_NAME]: partnerName,
  };
}
