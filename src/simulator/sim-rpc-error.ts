import { escapeXmlAttr, escapeXmlText } from '../xml';
import { ESC_NS } from './simulator-types';

/** RFC 6241 §4.3 error-tag values the simulator uses. */
export type ErrorTag =
  | 'invalid-value'
  | 'missing-element'
  | 'bad-element'
  | 'unknown-element'
  | 'data-exists'
  | 'data-missing'
  | 'operation-not-supported'
  | 'operation-failed'
  | 'in-use'
  | 'lock-denied'
  | 'malformed-message';

/**
 * A Stage 1 rejection (ESC NETCONF API guide, "Stage 1: Acceptance or Rejection of a Configuration
 * Request"): rendered as one <rpc-error> with ESC's layout.
 */
export class SimRpcError extends Error {
  constructor(
    readonly tag: ErrorTag,
    message: string,
    readonly details: { type?: 'application' | 'protocol' | 'rpc'; path?: string; badElement?: string; appTag?: string } = {},
  ) {
    super(message);
    this.name = 'SimRpcError';
  }

  /** The <rpc-error> element (no namespace declaration: it inherits the rpc-reply's). */
  toXml(): string {
    const d = this.details;
    let out = `<rpc-error><error-type>${d.type ?? 'application'}</error-type><error-tag>${this.tag}</error-tag>`;
    out += '<error-severity>error</error-severity>';
    if (d.appTag) out += `<error-app-tag>${escapeXmlText(d.appTag)}</error-app-tag>`;
    if (d.path) out += `<error-path xmlns:esc="${escapeXmlAttr(ESC_NS)}">${escapeXmlText(d.path)}</error-path>`;
    out += `<error-message xml:lang="en">${escapeXmlText(this.message)}</error-message>`;
    if (d.badElement) out += `<error-info><bad-element>${escapeXmlText(d.badElement)}</bad-element></error-info>`;
    return `${out}</rpc-error>`;
  }
}
