/**
 * What the meeting forms offer to choose from in the meeting's group: its
 * discussions (to link to the meeting or an agenda item) and, for the
 * details form, its members (to name facilitators). Loaded into the store
 * through the same paths the group page uses.
 */
import { useMemo } from 'react';
import type { DiscussionDto, MemberDto } from '../../../../shared/dto.js';
import { ApiError } from '../../api/client.js';
import { groupListKey, loadGroupDiscussions, loadMembers } from '../../data/groups.js';
import { useLoad } from '../../lib/use-load.js';
import { useStore } from '../../store/index.js';

const NO_MEMBERS: MemberDto[] = [];

export function useGroupChoices(groupId: string, { members = false, enabled = true } = {}) {
  const state = useLoad(enabled ? `${groupId}:${members}` : null, () =>
    Promise.all([loadGroupDiscussions(groupId), members ? loadMembers(groupId) : null]),
  );
  const held = useStore((s) => s.members[groupId]) ?? NO_MEMBERS;
  const list = useStore((s) => s.discussionLists[groupListKey(groupId)]);
  const byId = useStore((s) => s.discussions);
  const discussions = useMemo(
    () =>
      (list ?? [])
        .map((id) => byId[id])
        .filter((d): d is DiscussionDto => d !== undefined && d.group?.id === groupId),
    [list, byId, groupId],
  );
  return { state, members: held, discussions, titleOf: (id: string) => byId[id]?.title };
}

/** The error of a list field (`facilitatorIds.2`), with the index the server named. */
export function listFieldError(
  error: unknown,
  field: string,
): { index: number; message: string } | undefined {
  if (!(error instanceof ApiError) || !error.field?.startsWith(`${field}.`)) return undefined;
  return { index: Number(error.field.slice(field.length + 1)), message: error.message };
}

/** `2025-03-01T18:30` in local time, as a datetime-local input holds it. */
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(
    date.getHours(),
  )}:${pad(date.getMinutes())}`;
}

/** The next full hour from now: a sensible first guess for a new meeting's start. */
export function nextFullHour(now = new Date()): Date {
  const next = new Date(now);
  next.setMinutes(0, 0, 0);
  next.setHours(next.getHours() + 1);
  return next;
}

/** A meeting's start, for people: weekday, date and time in the reader's locale. */
export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** "45 min", "1 h 30 min", "1 min 30 s". */
export function formatMinutes(minutes: number): string {
  const total = Math.round(minutes * 60);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h > 0 ? `${h} h` : '', m > 0 ? `${m} min` : '', s > 0 ? `${s} s` : ''];
  return parts.filter(Boolean).join(' ') || '0 min';
}
