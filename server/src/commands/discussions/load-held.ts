/**
 * Loading a discussion for a write (a comment, a vote, a reaction) or a
 * socket's watch: as `loadReadableDiscussion`, from the discussion and group
 * this process holds while its change feed keeps them true
 * (realtime/fanout-records.ts), so a write or a join in a live discussion
 * does not read them again (issue 11). Reads that show the discussion itself
 * (its page, its lists) read it afresh. A held
 * discussion is never older than the last change this process's feed has
 * handled; its timeline bookkeeping (`lastSequence`, `lastActivityAt`) may lag,
 * which no write reads (the timeline's own increment returns the number).
 * The records are shared: callers read them and never change them.
 */
import type { Viewer } from '../../auth/viewer.js';
import { NotFoundError } from '../../errors.js';
import { canReadDiscussion } from '../../policies/discussion.js';
import { heldRecords } from '../../realtime/fanout-records.js';
import { presentUserSummary } from '../../presenters/user.js';
import { loadDiscussion, objectIdOrNotFound, type LoadedDiscussion } from './load.js';
import { loadPeople, type People } from './people.js';

/** The discussion and its group, held or read now (null if there is none). */
export function heldDiscussion(id: unknown): Promise<LoadedDiscussion | null> {
  const records = heldRecords();
  const discussionId = String(objectIdOrNotFound(id, 'Discussion'));
  return records ? records.discussion(discussionId) : loadDiscussion(discussionId);
}

/** As `loadReadableDiscussion` (404 for a discussion the viewer may not read), from the held records. */
export async function loadReadableHeldDiscussion(
  viewer: Viewer,
  id: unknown,
): Promise<LoadedDiscussion> {
  const loaded = await heldDiscussion(id);
  if (!loaded || !canReadDiscussion(viewer, loaded.discussion, loaded.group)) {
    throw NotFoundError('Discussion not found');
  }
  return loaded;
}

/** As `loadPeople`, from the summaries this process holds while its change feed keeps them true. */
export async function peopleToPresent(ids: Iterable<unknown>): Promise<People> {
  const records = heldRecords();
  if (!records) return loadPeople(ids);
  const found = await records.people(ids);
  return (id) => found.get(String(id)) ?? presentUserSummary(null, String(id));
}
