import { Router } from 'express';
import type { StoredNotification } from './standalone-store';

/** Where the received Notify messages are read from. */
export interface NotificationSource {
  listNotifications(vnfInstanceId?: string): Promise<StoredNotification[]>;
}

/** Path of the listing below `/api/{vnfmtype}/v1`. */
export const NOTIFICATIONS_PATH = '/standalone/notifications';

/**
 * Read-only listing of the Notify messages standalone mode received in NSLCM's place:
 * `GET /api/{vnfmtype}/v1/standalone/notifications[?vnfInstanceId=…]` → 200 `{notifications: [...]}`
 * in arrival order; a `vnfInstanceId` that is not one plain text value → 400.
 */
export function notificationsRouter(source: NotificationSource): Router {
  const r = Router({ mergeParams: true });
  r.get(NOTIFICATIONS_PATH, async (req, res) => {
    const raw = req.query.vnfInstanceId;
    if (raw !== undefined && (typeof raw !== 'string' || raw === '' || raw.length > 255)) {
      const reason = 'must be one non-empty value of at most 255 characters';
      res.status(400).json({ error: `vnfInstanceId ${reason}`, details: [{ field: 'vnfInstanceId', reason }] });
      return;
    }
    res.status(200).json({ notifications: await source.listNotifications(raw) });
  });
  return r;
}
