/**
 * Builds discussion responses for a viewer: loads the people and read states
 * the presenter needs (one query each, however many discussions), and
 * decides abilities and read-state visibility through the policies.
 */
import type { Viewer } from '../../auth/viewer.js';
import type { DiscussionDocument } from '../../models/discussion.js';
import type { GroupDocument } from '../../models/group.js';
import { canTrackReading, discussionAbilities } from '../../policies/discussion.js';
import { presentDiscussion, type DiscussionDto } from '../../presenters/discussion.js';
import { loadPeople } from './people.js';
import { lastReadSequences } from './read-state.js';

/** Presents readable discussions (the caller has authorized each) for the viewer. */
export async function presentDiscussionsFor(
  viewer: Viewer,
  records: { discussion: DiscussionDocument; group: GroupDocument | null }[],
): Promise<DiscussionDto[]> {
  const people = await loadPeople(records.map((r) => r.discussion.authorId));
  const tracked = records
    .filter((r) => canTrackReading(viewer, r.discussion))
    .map((r) => r.discussion._id);
  const reads = viewer.user
    ? await lastReadSequences(viewer.user._id, tracked)
    : new Map<string, number>();
  const trackedIds = new Set(tracked.map(String));
  return records.map(({ discussion, group }) =>
    presentDiscussion(discussion, {
      group,
      author: people(discussion.authorId),
      abilities: discussionAbilities(viewer, discussion, group),
      lastReadSequence: trackedIds.has(String(discussion._id))
        ? (reads.get(String(discussion._id)) ?? 0)
        : null,
    }),
  );
}

/** One discussion, presented for the viewer. */
export async function presentDiscussionFor(
  viewer: Viewer,
  record: { discussion: DiscussionDocument; group: GroupDocument | null },
): Promise<DiscussionDto> {
  const [dto] = await presentDiscussionsFor(viewer, [record]);
  return dto;
}
