/**
 * `/api/admin`: what the Data Protection Officer and site administrators may
 * do to another person's account (P9). The DPO role is configuration
 * (`DPO_EMAILS`), not a database flag, so it cannot be granted through the
 * application. Every action is audited; for a redaction, one entry per group
 * touched lets that group's coordinators see that it happened.
 */
import { Router, type Request } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { reactivateAccount } from '../../commands/accounts/deactivate.js';
import { redactContent } from '../../commands/accounts/redact-content.js';
import { AuthorizationError, NotFoundError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { UserModel } from '../../models/user.js';
import type { ApiDeps } from '../deps.js';
import { objectIdParam } from '../groups/load.js';
import { noBodySchema, redactSchema } from './schema.js';

const userNotFound = () => NotFoundError('User not found');

export function adminRouter(deps: ApiDeps): Router {
  const router = Router();
  const dpoEmails = new Set(deps.config.dpoEmails ?? []);

  const isDpo = (req: Request) => req.viewer.user !== null && dpoEmails.has(req.viewer.user.email);

  async function loadSubject(req: Request) {
    const id = objectIdParam(req.params.id as string);
    const user = id ? await UserModel.findById(id) : null;
    if (!user) throw userNotFound();
    return user;
  }

  /** Replaces the text of everything the person wrote with a notice; DPO only; reason required. */
  router.post('/users/:id/redact', async (req, res) => {
    requireUser(req);
    if (!isDpo(req))
      throw AuthorizationError('Only the Data Protection Officer may redact content');
    const { reason } = parse(redactSchema, req.body);
    const subject = await loadSubject(req);
    const redacted = await redactContent({
      dpoId: req.viewer.user._id,
      subjectUserId: subject._id,
      reason,
      ip: req.ip,
    });
    res.json({ redacted });
  });

  /** Restores a deactivated account (its owner may also do so by signing in); DPO or site administrator. */
  router.post('/users/:id/reactivate', async (req, res) => {
    requireUser(req);
    if (!isDpo(req) && !req.viewer.user.isAdmin)
      throw AuthorizationError('Only an administrator may reactivate an account');
    parse(noBodySchema, req.body);
    const subject = await loadSubject(req);
    if (subject.deletedAt) throw userNotFound();
    await reactivateAccount({ user: subject, actorId: req.viewer.user._id, ip: req.ip });
    res.status(204).end();
  });
  return router;
}
