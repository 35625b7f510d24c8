/** The room of a group's review queue: sockets of its moderators that watch it. */
export const moderationRoom = (groupId: string) => `moderation:${groupId}`;
export const groupOfModerationRoom = (room: string): string | null =>
  /^moderation:([0-9a-f]{24})$/.exec(room)?.[1] ?? null;
