/**
 * A discussion's timeline and the viewer's place in it: the events after a
 * sequence (what a reconnecting client asks for) and marking events as read.
 */
import type { Router } from 'express';
import { requireUser } from '../../auth/authenticate.js';
import { loadReadableDiscussion } from '../../commands/discussions/load.js';
import { loadPeople } from '../../commands/discussions/people.js';
import { timelineFilterFor } from '../../commands/discussions/timeline-view.js';
import { markRead } from '../../commands/discussions/read-state.js';
import { AuthorizationError } from '../../errors.js';
import { toPage } from '../../http/pagination.js';
import { parse } from '../../http/validate.js';
import { EventModel } from '../../models/event.js';
import { canTrackReading } from '../../policies/discussion.js';
import { presentReadState } from '../../presenters/discussion.js';
import { presentEvent } from '../../presenters/event.js';
import { loadMinutesOf } from '../../meetings/minutes-events.js';
import { markReadSchema, pageStart, timelinePageSchema } from './schema.js';

export function registerTimelineRoutes(router: Router): void {
  /** Events after `?after=<sequence>`, ascending; vote events only where the results may be seen. */
  router.get('/:id/events', async (req, res) => {
    const query = parse(timelinePageSchema, req.query);
    const { discussion } = await loadReadableDiscussion(req.viewer, req.params.id);
    const rows = await EventModel.find({
      discussionId: discussion._id,
      sequence: { $gt: pageStart(query) },
    })
      .sort({ sequence: 1 })
      .limit(query.limit + 1)
      .lean();
    // Pages are cut on the stored events, so a page whose events are all hidden still moves on.
    const shown = rows.slice(0, query.limit);
    const sees = await timelineFilterFor(req.viewer, shown);
    const people = await loadPeople(shown.filter(sees).map((row) => row.actorId));
    const minutesOf = await loadMinutesOf(shown.filter(sees));
    const page = toPage(
      rows,
      query.limit,
      (row) => row,
      (row) => String(row.sequence),
    );
    res.json({
      items: page.items.filter(sees).map((row) => presentEvent(row, people, minutesOf)),
      nextCursor: page.nextCursor,
    });
  });

  /** Marks everything up to `sequence` as read; read state never moves backwards. */
  router.post('/:id/read', async (req, res) => {
    requireUser(req);
    const input = parse(markReadSchema, req.body);
    const { discussion } = await loadReadableDiscussion(req.viewer, req.params.id);
    if (!canTrackReading(req.viewer, discussion))
      throw AuthorizationError('Only participants keep read state');
    const stored = await markRead({
      userId: req.viewer.user._id,
      discussionId: discussion._id,
      sequence: Math.min(input.sequence, discussion.lastSequence),
    });
    res.json({ readState: presentReadState(discussion.lastSequence, stored) });
  });
}
