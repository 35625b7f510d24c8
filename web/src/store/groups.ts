import type { StateCreator } from 'zustand';
import type { GroupDetailDto, GroupDto, MemberDto } from '../../../shared/dto.js';
import { removeOne, upsertAll, type ById } from './records.js';
import type { Store } from './index.js';

export interface GroupsSlice {
  groups: ById<GroupDto | GroupDetailDto>;
  /** Members per group id, in the order the server listed them. */
  members: ById<MemberDto[]>;
  upsertGroups: (groups: readonly (GroupDto | GroupDetailDto)[]) => void;
  removeGroup: (id: string) => void;
  setMembers: (groupId: string, members: MemberDto[]) => void;
  upsertMember: (groupId: string, member: MemberDto) => void;
  removeMember: (groupId: string, userId: string) => void;
  /**
   * Ordered lists of discussion ids a screen shows, by key (`inbox`,
   * `group:<id>`); absent until the screen loads its list. Live events add to
   * and drop from the lists that are loaded.
   */
  discussionLists: ById<string[]>;
  setDiscussionList: (key: string, ids: string[]) => void;
  /** Adds ids to a loaded list (a list not loaded stays absent). */
  addToDiscussionList: (key: string, ids: readonly string[]) => void;
  dropFromDiscussionList: (key: string, id: string) => void;
}

export const groupsSlice: StateCreator<Store, [], [], GroupsSlice> = (set) => ({
  groups: {},
  members: {},
  discussionLists: {},
  upsertGroups: (groups) => set((s) => ({ groups: upsertAll(s.groups, groups) })),
  removeGroup: (id) => set((s) => ({ groups: removeOne(s.groups, id) })),
  setMembers: (groupId, members) => set((s) => ({ members: { ...s.members, [groupId]: members } })),
  upsertMember: (groupId, member) =>
    set((s) => {
      const list = s.members[groupId];
      if (!list) return {};
      const at = list.findIndex((m) => m.id === member.id);
      const next = at === -1 ? [...list, member] : list.map((m, i) => (i === at ? member : m));
      return { members: { ...s.members, [groupId]: next } };
    }),
  removeMember: (groupId, userId) =>
    set((s) => {
      const list = s.members[groupId];
      if (!list) return {};
      return { members: { ...s.members, [groupId]: list.filter((m) => m.id !== userId) } };
    }),
  setDiscussionList: (key, ids) =>
    set((s) => ({ discussionLists: { ...s.discussionLists, [key]: ids } })),
  addToDiscussionList: (key, ids) =>
    set((s) => {
      const list = s.discussionLists[key];
      if (!list) return {};
      const fresh = ids.filter((id) => !list.includes(id));
      if (fresh.length === 0) return {};
      return { discussionLists: { ...s.discussionLists, [key]: [...fresh, ...list] } };
    }),
  dropFromDiscussionList: (key, id) =>
    set((s) => {
      const list = s.discussionLists[key];
      if (!list?.includes(id)) return {};
      return { discussionLists: { ...s.discussionLists, [key]: list.filter((x) => x !== id) } };
    }),
});
