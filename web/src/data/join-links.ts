/**
 * Shareable join links: a group's coordinators create, list and withdraw them;
 * anyone holding one previews the group and joins. The link itself comes back
 * only once, when it is created.
 */
import type { GroupDetailDto, JoinLinkDto, JoinLinkPreviewDto } from '../../../shared/dto.js';
import { api } from '../api/client.js';
import { groupPath } from '../lib/paths.js';
import { useStore } from '../store/index.js';
import { readAll } from './pages.js';

export async function createJoinLink(
  groupId: string,
  input: { expiresInDays: number; maxUses: number },
): Promise<{ joinLink: JoinLinkDto; url: string; token: string }> {
  return api.post<{ joinLink: JoinLinkDto; url: string; token: string }>(
    `/groups/${groupId}/join-links`,
    input,
  );
}

export function loadJoinLinks(groupId: string): Promise<JoinLinkDto[]> {
  return readAll<JoinLinkDto>(`/groups/${groupId}/join-links`, {}, 500);
}

export async function revokeJoinLink(groupId: string, linkId: string): Promise<JoinLinkDto> {
  const { joinLink } = await api.delete<{ joinLink: JoinLinkDto }>(
    `/groups/${groupId}/join-links/${linkId}`,
  );
  return joinLink;
}

export async function previewJoinLink(token: string): Promise<JoinLinkPreviewDto> {
  const { joinLink } = await api.get<{ joinLink: JoinLinkPreviewDto }>(
    `/join-links/${encodeURIComponent(token)}`,
  );
  return joinLink;
}

/** Joins through a link; answers where to go next (the group). */
export async function joinThroughLink(token: string): Promise<string> {
  const { group } = await api.post<{ group: GroupDetailDto; joined: boolean }>(
    `/join-links/${encodeURIComponent(token)}/join`,
  );
  useStore.getState().upsertGroups([group]);
  return groupPath(group);
}
