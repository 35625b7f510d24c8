/**
 * Every API answer carries `Cache-Control: no-store`, set once where the API
 * is mounted rather than route by route, so a new personal route cannot forget
 * it. Nearly every answer depends on who asks (the session cookie decides what
 * `/api/me`, the inbox, notifications, exports, and even a group or a
 * discussion show), and a stored copy would outlive a sign-out on a shared
 * computer or reach another person through a shared cache. API data is live
 * (sockets push changes), so HTTP caching would gain nothing. A route that is
 * truly the same for everyone may set its own header after this one.
 */
import type { RequestHandler } from 'express';

export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
