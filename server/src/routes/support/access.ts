/**
 * Support access at request time (P12). For a site administrator, loads the
 * support grants in force now and hands them to the policies through the
 * viewer (policies/support.ts); every other viewer is left untouched, so
 * being an administrator gives nothing without a grant. A grant past its
 * expiry or revoked stops counting on the next request.
 *
 * When a policy let the request read a group only because of a grant, one
 * `support_read` entry per group goes to the audit log before the answer is
 * sent: if the entry cannot be written, the administrator gets an error
 * instead of the data, so no read under a grant goes unrecorded. Socket
 * connections load their viewer without grants: support reads happen over
 * REST only, where they are audited.
 */
import type { Request, RequestHandler } from 'express';
import { Types } from 'mongoose';
import { recordAudit } from '../../commands/audit/record.js';
import { activeGrantFilter, SupportGrantModel } from '../../models/support-grant.js';
import type { SupportAccess } from '../../auth/viewer.js';

/** The audit action of a read under a support grant. */
export const SUPPORT_READ = 'support_read';

/** The route that answered, as declared (`/api/discussions/:id`), and the first id it names. */
function readTarget(req: Request): { kind: string; id: Types.ObjectId | null } {
  const routePath = (req.route as { path?: unknown } | undefined)?.path;
  const declared = typeof routePath === 'string' ? routePath : '';
  const kind = `${req.method} ${`${req.baseUrl}${declared}`.replace(/\/$/, '') || req.path}`;
  const params = Object.values(req.params as Record<string, unknown>);
  const id = params.find((v): v is string => typeof v === 'string' && /^[0-9a-f]{24}$/i.test(v));
  return { kind: kind.slice(0, 200), id: id ? new Types.ObjectId(id) : null };
}

/** Records the request's reads under grants, then lets `send` answer. */
async function auditReads(req: Request, support: SupportAccess): Promise<void> {
  const actorId = req.viewer.user!._id;
  const target = readTarget(req);
  await Promise.all(
    [...support.used].map((groupId) =>
      recordAudit({
        actorId,
        action: SUPPORT_READ,
        groupId: new Types.ObjectId(groupId),
        target: { kind: target.kind, id: target.id, count: 1 },
        ip: req.ip,
      }),
    ),
  );
  support.used.clear();
}

export function supportAccess(): RequestHandler {
  return async (req, res, next) => {
    const user = req.viewer.user;
    if (!user?.isAdmin) return next();
    const grants = await SupportGrantModel.find(activeGrantFilter(), { groupId: 1 }).lean();
    if (grants.length === 0) return next();
    const support: SupportAccess = {
      grants: new Map(grants.map((g) => [String(g.groupId), String(g._id)])),
      used: new Set(),
    };
    req.viewer = { ...req.viewer, support };

    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (support.used.size === 0 || res.statusCode >= 400) return json(body);
      auditReads(req, support).then(
        () => json(body),
        (error: unknown) => next(error),
      );
      return res;
    };
    next();
  };
}
