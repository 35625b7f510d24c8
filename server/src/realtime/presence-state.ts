/**
 * The in-memory picture of one discussion's presence on one process: its own
 * sockets, what every other process last wrote, and what its sockets were last
 * told. Pure bookkeeping, no I/O: presence.ts feeds it adapter events and
 * change-feed documents and asks it what to send, so the cost of a join or a
 * leave is one small diff, whatever the number of watchers.
 */
import type { View } from '../../../shared/domain.js';
import type { UserSummaryDto } from '../../../shared/dto.js';
import { PRESENCE_NAMED_MAX } from '../../../shared/presence.js';
import type { Presence } from '../models/presence.js';

export const PARTICIPANT_VIEWS: readonly View[] = ['guest', 'member', 'coordinator'];

/** What one process contributes to a discussion's presence (its document, in memory). */
export interface ProcessPresence {
  participants: string[];
  others: string[];
  anonymous: number;
  /** userId -> typing until (ms). */
  typing: Map<string, number>;
}

/** Reads a process's contribution from its presence document (as the change feed or a find returns it). */
export function fromDocument(
  doc: Pick<Presence, 'participants' | 'others' | 'anonymous' | 'typing'>,
): ProcessPresence {
  return {
    participants: (doc.participants ?? []).map(String),
    others: (doc.others ?? []).map(String),
    anonymous: doc.anonymous ?? 0,
    typing: new Map((doc.typing ?? []).map((t) => [String(t.userId), new Date(t.until).getTime()])),
  };
}

/** What to send after a change: the named list's diff, the counts, the typists. */
export interface PresenceUpdate {
  /** The named list now. */
  named: string[];
  joined: string[];
  left: string[];
  participants: number;
  visitors: number;
  countsChanged: boolean;
  /** Typing participants (ids) now, and when the next of them lapses (ms, or Infinity). */
  typists: string[];
  nextLapse: number;
}

/** One discussion as this process sees it; see the module comment. */
export class DiscussionPresenceState {
  /** This process's sockets watching: socket id -> person (null: signed out) and view. */
  readonly sockets = new Map<string, { userId: string | null; view: View }>();
  /** This process's typists: userId -> until (ms). */
  readonly typing = new Map<string, number>();
  /** Other processes' contributions, by process id. */
  readonly remote = new Map<string, ProcessPresence>();
  /** Processes whose change arrived while the first read of the others ran (the read must not undo it). */
  readonly seenDuringLoad = new Set<string>();
  /** Sockets that started watching since the last flush: they get the whole picture. */
  readonly fresh = new Set<string>();
  /** Summaries of the people named or typing, kept while they are. */
  readonly people = new Map<string, UserSummaryDto>();
  /** The named list and counts this process's sockets were last sent. */
  named: string[] = [];
  participants = 0;
  visitors = 0;
  typingKey = '';
  lastCountsAt = 0;
  /** Until the first read of the other processes' documents is in. */
  loading = true;
  /**
   * What this process last wrote of its own contribution, field by field (as
   * JSON): a write sets only what changed, and nothing when nothing did. Empty:
   * the document may be missing or behind, so the next write sets everything.
   */
  readonly written = new Map<string, string>();
  emitTimer: NodeJS.Timeout | null = null;
  emitAt = Infinity;
  writeTimer: NodeJS.Timeout | null = null;

  /** This process's contribution, as its document stores it. */
  own(now: number): ProcessPresence {
    const participants = new Set<string>();
    const others = new Set<string>();
    let anonymous = 0;
    for (const { userId, view } of this.sockets.values()) {
      if (userId && PARTICIPANT_VIEWS.includes(view)) participants.add(userId);
      else if (userId) others.add(userId);
      else anonymous += 1;
    }
    for (const [userId, until] of this.typing)
      if (until <= now || !participants.has(userId)) this.typing.delete(userId);
    return {
      participants: [...participants],
      others: [...others],
      anonymous,
      typing: new Map(this.typing),
    };
  }

  /**
   * Everyone's contributions together, and what changed against what was last
   * sent. The named list keeps whoever it named while they stay and fills up
   * in order of arrival, so it moves only when someone named comes or goes.
   */
  next(now: number): PresenceUpdate {
    const parts = [this.own(now), ...this.remote.values()];
    const participants = new Set<string>();
    const others = new Set<string>();
    let anonymous = 0;
    for (const part of parts) {
      for (const id of part.participants) participants.add(id);
      for (const id of part.others) others.add(id);
      anonymous += part.anonymous;
    }
    const kept = this.named.filter((id) => participants.has(id));
    const keptSet = new Set(kept);
    const named = [...kept];
    for (const id of participants) {
      if (named.length >= PRESENCE_NAMED_MAX) break;
      if (!keptSet.has(id)) named.push(id);
    }
    const before = new Set(this.named);
    const after = new Set(named);
    const visitors = others.size + anonymous;
    const countsChanged = participants.size !== this.participants || visitors !== this.visitors;
    const typing = new Map<string, number>();
    for (const part of parts)
      for (const [id, until] of part.typing)
        if (until > now && participants.has(id))
          typing.set(id, Math.max(until, typing.get(id) ?? 0));
    return {
      named,
      joined: named.filter((id) => !before.has(id)),
      left: this.named.filter((id) => !after.has(id)),
      participants: participants.size,
      visitors,
      countsChanged,
      typists: [...typing.keys()],
      nextLapse: Math.min(Infinity, ...typing.values()),
    };
  }

  /** Records what was sent. */
  sent(update: PresenceUpdate): void {
    this.named = update.named;
    this.participants = update.participants;
    this.visitors = update.visitors;
  }
}
