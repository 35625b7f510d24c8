/**
 * Timeline events as readers of the discussion see them. The actor is shown
 * only from `actorId`: an event without one (a system action, an anonymous
 * vote) has `actor: null`, and nothing else on the event names a person. A
 * `minutes_published` event carries the meeting's minutes as published: they
 * were posted to this discussion, so whoever reads it reads them.
 */
import type { PublishedMinutesEventDto, TimelineEventDto } from '../../../shared/dto.js';
import type { TimelineEvent } from '../models/event.js';
import type { UserSummaryDto } from './user.js';

export type { TimelineEventDto };

type EventLike = Pick<
  TimelineEvent,
  '_id' | 'discussionId' | 'sequence' | 'kind' | 'actorId' | 'commentId' | 'pollId' | 'createdAt'
> &
  Partial<Pick<TimelineEvent, 'meetingId'>>;

/** A meeting's published minutes by meeting id (null: gone); see meetings/minutes-events.ts. */
export type MinutesOf = (meetingId: unknown) => PublishedMinutesEventDto | null;

/** `people` resolves the actor id to a summary; it is not called for events without an actor. */
export function presentEvent(
  event: EventLike,
  people: (id: unknown) => UserSummaryDto,
  minutesOf: MinutesOf = () => null,
): TimelineEventDto {
  return {
    id: String(event._id),
    discussionId: String(event.discussionId),
    sequence: event.sequence,
    kind: event.kind,
    actor: event.actorId ? people(event.actorId) : null,
    commentId: event.commentId ? String(event.commentId) : null,
    pollId: event.pollId ? String(event.pollId) : null,
    ...(event.kind === 'minutes_published' ? { minutes: minutesOf(event.meetingId) } : {}),
    createdAt: event.createdAt.toISOString(),
  };
}
