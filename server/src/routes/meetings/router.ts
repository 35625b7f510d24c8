/**
 * Meetings under `/api` (full paths; mount at the `/api` router's root):
 * - `POST /groups/:group/meetings` schedule one; `GET /groups/:group/meetings` a group's meetings;
 * - `GET /meetings/live` the live meetings of the signed-in person's groups (banners, inbox);
 * - `GET /meetings/:id` its whole state for the viewer; `PATCH /meetings/:id` edit it;
 * - `POST /meetings/:id/actions` one action, exactly as the socket's `meeting:act`.
 * A meeting the viewer may not see answers 404, like one that does not exist.
 */
import { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { AuthorizationError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { MeetingModel } from '../../models/meeting.js';
import { canScheduleMeeting, isFacilitator, meetingViewOf } from '../../policies/meeting.js';
import { presentMeetingSummary } from '../../presenters/meeting.js';
import { performAction } from '../../meetings/actions.js';
import { assertMayWrite } from '../../moderation/guard.js';
import { MeetingStateError } from '../../meetings/errors.js';
import { loadReadableMeeting } from '../../meetings/load.js';
import { scheduleMeeting, updateMeeting } from '../../meetings/schedule.js';
import {
  actRequestSchema,
  createMeetingSchema,
  listMeetingsSchema,
  updateMeetingSchema,
} from './schema.js';
import { loadMeetingParts, ownSignal, presentMeetingFor } from '../../meetings/state.js';
import type { Viewer } from '../../auth/viewer.js';
import { loadVisibleGroup } from '../groups/load.js';

/** The meeting's whole state as the viewer sees it. */
async function meetingFor(viewer: Viewer, id: unknown) {
  const { meeting, group, view } = await loadReadableMeeting(viewer, id);
  const parts = await loadMeetingParts(meeting, group);
  return presentMeetingFor(view, parts, { personal: await ownSignal(meeting, viewer) });
}

const LIST_LIMIT = 100;

export function meetingRoutes(): Router {
  const router = Router();

  router.post('/groups/:group/meetings', async (req, res) => {
    requireUser(req);
    const input = parse(createMeetingSchema, req.body);
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    if (!canScheduleMeeting(req.viewer, group))
      throw AuthorizationError('You may not schedule meetings in this group');
    await assertMayWrite(req.viewer, group._id);
    const meeting = await scheduleMeeting(group, req.viewer.user._id, input);
    res.status(201).json({ meeting: await meetingFor(req.viewer, meeting._id.toHexString()) });
  });

  router.get('/groups/:group/meetings', async (req, res) => {
    const query = parse(listMeetingsSchema, req.query);
    const group = await loadVisibleGroup(req.viewer, req.params.group);
    const meetings = await MeetingModel.find({
      groupId: group._id,
      ...(query.state ? { state: query.state } : {}),
    })
      .sort({ scheduledAt: -1 })
      .limit(LIST_LIMIT);
    const visible = meetings.filter((m) => meetingViewOf(req.viewer, m, group) !== null);
    res.json({ items: visible.map(presentMeetingSummary) });
  });

  router.get('/meetings/live', async (req, res) => {
    requireUser(req);
    const groupIds = [...req.viewer.roles.keys()];
    const meetings = await MeetingModel.find({ state: 'live', groupId: { $in: groupIds } })
      .sort({ startedAt: -1 })
      .limit(LIST_LIMIT);
    res.json({ items: meetings.map(presentMeetingSummary) });
  });

  router.get('/meetings/:id', async (req, res) => {
    res.json({ meeting: await meetingFor(req.viewer, req.params.id) });
  });

  router.patch('/meetings/:id', async (req, res) => {
    requireUser(req);
    const input = parse(updateMeetingSchema, req.body);
    const { meeting, group } = await loadReadableMeeting(req.viewer, req.params.id);
    if (!isFacilitator(req.viewer, meeting, group))
      throw AuthorizationError('Only the meeting’s facilitators may edit it');
    if (meeting.state === 'ended') throw MeetingStateError('ended', ['scheduled', 'live']);
    await assertMayWrite(req.viewer, meeting.groupId);
    await updateMeeting(meeting, group, input);
    res.json({ meeting: await meetingFor(req.viewer, req.params.id) });
  });

  router.post('/meetings/:id/actions', async (req, res) => {
    requireUser(req);
    const { action } = parse(actRequestSchema, req.body);
    await performAction(req.viewer, req.params.id, action);
    res.json({ meeting: await meetingFor(req.viewer, req.params.id) });
  });

  return router;
}
