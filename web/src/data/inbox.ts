/** The signed-in person's inbox, groups and notifications. */
import type { DiscussionDto, GroupDto, NotificationDto } from '../../../shared/dto.js';
import { api, type Page } from '../api/client.js';
import { useStore } from '../store/index.js';
import { readAll } from './pages.js';

/** Loads the inbox; returns its discussion ids in order (newest activity first). */
export async function loadInbox(): Promise<string[]> {
  const items = await readAll<DiscussionDto>('/inbox', {}, 200);
  useStore.getState().upsertDiscussions(items);
  return items.map((d) => d.id);
}

/** Loads one's own groups (or, with `publicOnly`, open groups to discover); returns ids in order. */
export async function loadGroups(publicOnly = false): Promise<string[]> {
  const items = await readAll<GroupDto>('/groups', publicOnly ? { public: 1 } : {}, 500);
  useStore.getState().upsertGroups(items);
  return items.map((g) => g.id);
}

export async function loadNotifications(): Promise<string[]> {
  const page = await api.get<Page<NotificationDto> & { unreadCount: number }>('/notifications', {
    limit: 50,
  });
  useStore.getState().upsertNotifications(page.items, page.unreadCount);
  return page.items.map((n) => n.id);
}

export async function markNotificationsRead(): Promise<void> {
  await api.post('/notifications/read', { all: true });
  await loadNotifications();
}
