/** The deployment an escEvent names (its `<tenant>` and `<depname>`), as the full parse would read it. */
export interface EscEventTarget {
  tenant: string;
  depname: string;
}

/**
 * What a replica does with one escEvent of an ESC:
 * - `all`: it is responsible for the ESC's ESC-initiated changes: the event is parsed, routed to the jobs waiting
 *   on it and handed to the unsolicited handler (recovery, elastic scaling) and to whatever else taps the ESC's
 *   stream, so that across replicas each event reaches those exactly once;
 * - `watchers`: only a job of this replica waits on it (or its deployment could not be told cheaply): parsed and
 *   routed to the waiting jobs only;
 * - `drop`: neither: left unparsed.
 */
export type EscEventFate = 'all' | 'watchers' | 'drop';

/** What the decision needs to know about this replica, for one ESC. */
export interface EscEventAudience {
  /** This replica is the one responsible for the ESC's ESC-initiated changes (always so with a single process). */
  responsible(): boolean;
  /** A job of this replica waits on events of the deployment. */
  watches(tenant: string, depname: string): boolean;
}

/** The fate of an escEvent naming `target` (undefined: the raw text did not say which deployment). */
export function escEventFate(target: EscEventTarget | undefined, audience: EscEventAudience): EscEventFate {
  if (audience.responsible()) return 'all';
  if (target === undefined || audience.watches(target.tenant, target.depname)) return 'watchers';
  return 'drop';
}

/** A start tag of `name`, with or without a namespace prefix or attributes; group 1 is the element's text. */
function simpleElement(name: string): RegExp {
  return new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${name}(?:\\s[^>]*)?>([^<]*)</`);
}

const DEPNAME = simpleElement('depname');
const TENANT = simpleElement('tenant');
/** The first element of a message: past the XML declaration, comments and white space. */
const ROOT = /^(?:\s|<\?[^]*?\?>|<!--[^]*?-->)*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/;

/**
 * The tenant and deployment of the escEvent in a raw NETCONF message, read without parsing it; undefined when the
 * message is not a `<notification>` holding an escEvent with both as plain text (entities, CDATA or comments in
 * them are left to the full parse, which then decides). ESC writes `<tenant>` and `<depname>` only as direct
 * children of `<escEvent>` (guide "Event Notifications"; the VMs it names carry `vmid`, `vmname` and interfaces).
 */
export function scanEscEventTarget(raw: string): EscEventTarget | undefined {
  if (!raw.includes('escEvent')) return undefined;
  if (ROOT.exec(raw)?.[1] !== 'notification') return undefined;
  const depname = plainText(DEPNAME.exec(raw)?.[1]);
  const tenant = plainText(TENANT.exec(raw)?.[1]);
  if (!depname || !tenant) return undefined;
  return { tenant, depname };
}

function plainText(text: string | undefined): string | undefined {
  if (text === undefined || text.includes('&')) return undefined;
  return text.trim();
}
