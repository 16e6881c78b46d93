import { Router } from 'express';
import type { VesEventLog } from './standalone-store';

/** Path of the listing below `/api/{vnfmtype}/v1`. */
export const VES_EVENTS_PATH = '/standalone/ves-events';

/**
 * Read-only listing of the VES events the local VES sink accepted in DCAE's place:
 * `GET /api/{vnfmtype}/v1/standalone/ves-events[?sourceName=…]` → 200 `{events: [...]}` in arrival order;
 * a `sourceName` that is not one plain text value → 400.
 */
export function vesEventsRouter(source: Pick<VesEventLog, 'listVesEvents'>): Router {
  const r = Router({ mergeParams: true });
  r.get(VES_EVENTS_PATH, async (req, res) => {
    const raw = req.query.sourceName;
    if (raw !== undefined && (typeof raw !== 'string' || raw === '' || raw.length > 255)) {
      const reason = 'must be one non-empty value of at most 255 characters';
      res.status(400).json({ error: `sourceName ${reason}`, details: [{ field: 'sourceName', reason }] });
      return;
    }
    res.status(200).json({ events: await source.listVesEvents(raw) });
  });
  return r;
}
