/**
 * Every API resource router, mounted under `/api`. Each router lives in its
 * own folder with its zod schema and its tests.
 */
import { Router } from 'express';
import type { ApiDeps } from './deps.js';
import { authRouter } from './auth/router.js';
import { meRouter } from './me/router.js';
import { sessionRouter } from './auth/session-router.js';
import { accountRouter } from './me/account-router.js';
import { exportRouter } from './me/export-router.js';
import { avatarRouter } from './me/avatar-router.js';
import { avatarsRouter } from './avatars/router.js';
import { adminRouter } from './admin/router.js';
import { groupAuditRouter } from './audit/group-router.js';
import { discussionsRouter } from './discussions/router.js';
import { commentsRouter } from './comments/router.js';
import { inboxRouter } from './inbox/router.js';
import { notificationsRouter } from './inbox/notifications-router.js';
import { pollRoutes } from './polls/router.js';
import { versionRoutes } from '../collab/versions.js';
import { meetingRoutes } from './meetings/router.js';
import { groupsRouter } from './groups/router.js';
import { invitationsRouter } from './invitations/router.js';
import { joinLinksRouter } from './join-links/router.js';
import { joinRequestsRouter } from './join-requests/router.js';
import { privacyRouter } from './privacy/router.js';
import { groupSupportRouter, supportRouter } from './support/router.js';
import { emailPreferencesRouter } from './email-preferences/router.js';
import { unsubscribeRouter } from './unsubscribe/router.js';
import { devRouter } from './dev/router.js';
import { groupModerationRouter } from './moderation/group-router.js';
import { moderationRouter } from './moderation/router.js';
import { siteModerationRouter } from './moderation/site-router.js';

export function apiRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.use('/auth', authRouter(deps));
  router.use('/session', sessionRouter());
  router.use('/me/email-preferences', emailPreferencesRouter());
  router.use('/me', accountRouter(deps), exportRouter(deps), avatarRouter(deps));
  router.use('/avatars', avatarsRouter());
  router.use('/me', meRouter());
  // Polls live under /discussions/:id/polls and /polls, so their router carries full paths.
  router.use(pollRoutes());
  router.use(versionRoutes());
  // Meetings live under /groups/:group/meetings and /meetings: full paths, like polls.
  router.use(meetingRoutes());
  router.use('/groups', groupSupportRouter());
  router.use('/groups', groupsRouter(deps));
  router.use('/groups', groupAuditRouter());
  router.use('/groups', groupModerationRouter());
  router.use('/moderation', moderationRouter(), siteModerationRouter());
  router.use('/admin', adminRouter(deps));
  router.use('/invitations', invitationsRouter(deps));
  router.use('/join-links', joinLinksRouter());
  router.use('/join-requests', joinRequestsRouter());
  router.use('/discussions', discussionsRouter());
  router.use('/comments', commentsRouter());
  router.use('/inbox', inboxRouter());
  router.use('/notifications', notificationsRouter());
  router.use('/privacy', privacyRouter(deps.config));
  router.use('/support', supportRouter());
  router.use('/unsubscribe', unsubscribeRouter(deps.config));
  if (deps.config.nodeEnv === 'development') {
    router.use('/dev', devRouter(deps.mailer, deps.config.publicUrl));
  }
  return router;
}
