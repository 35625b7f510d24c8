/**
 * Support access (P12): being a site administrator grants nothing by itself.
 * An administrator reads a group's content only while its coordinators'
 * support grant is in force, and only where ordinary rights would not allow
 * the read; each such reliance is noted on the viewer, so the request is
 * audited (routes/support/access.ts). Reads only: no write policy consults it.
 */
import type { Types } from 'mongoose';
import type { Viewer } from '../auth/viewer.js';

/** Whether the viewer reads `groupId` under a support grant now; notes the reliance for the audit. */
export function readsUnderSupportGrant(
  viewer: Viewer,
  groupId: Types.ObjectId | string | null,
): boolean {
  if (groupId === null || !viewer.user?.isAdmin || !viewer.support) return false;
  const id = String(groupId);
  if (!viewer.support.grants.has(id)) return false;
  viewer.support.used.add(id);
  return true;
}
