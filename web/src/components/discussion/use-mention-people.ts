import { useEffect, useMemo, useState } from 'react';
import type { DiscussionDto, UserSummaryDto } from '../../../../shared/dto.js';
import { loadMentionableMembers } from '../../data/comments.js';
import { useStore } from '../../store/index.js';
import { uniquePeople } from './mentions.js';

/**
 * Who the composer suggests for @mentions: the group's members when the
 * viewer may list them, and everyone seen in the discussion (its author,
 * commenters, reactors, those viewing now), except the viewer.
 */
export function useMentionPeople(discussion: DiscussionDto, wanted: boolean): UserSummaryDto[] {
  const meId = useStore((s) => s.me?.id ?? null);
  const groupId = discussion.group?.id ?? null;
  const members = useStore((s) => (groupId ? s.members[groupId] : undefined));
  const comments = useStore((s) => s.comments);
  const viewers = useStore((s) => s.presence[discussion.id]?.viewers);
  const [asked, setAsked] = useState(false);

  useEffect(() => {
    if (!wanted || asked || !groupId) return;
    setAsked(true);
    void loadMentionableMembers(groupId);
  }, [wanted, asked, groupId]);

  return useMemo(() => {
    const seen: UserSummaryDto[] = [discussion.author];
    for (const c of Object.values(comments)) {
      if (c.discussionId !== discussion.id) continue;
      seen.push(c.author);
      for (const r of c.reactions) seen.push(...r.users);
    }
    return uniquePeople([members ?? [], viewers ?? [], seen]).filter((p) => p.id !== meId);
  }, [discussion.author, discussion.id, comments, members, viewers, meId]);
}
