/** How group settings are put in plain words, the same on every screen. */
import type {
  GroupPermissions,
  GroupPrivacy,
  MembershipPolicy,
} from '../../../../shared/domain.js';

export const PRIVACY: Record<GroupPrivacy, { label: string; explain: string }> = {
  open: {
    label: 'Open',
    explain:
      'Anyone can find the group, read its discussions and see who belongs. Members may still start private discussions.',
  },
  closed: {
    label: 'Closed',
    explain:
      'Anyone can find the group and read its name and description. Only members read its discussions and see who belongs.',
  },
  secret: {
    label: 'Secret',
    explain: 'Only members know the group exists. To everyone else it does not appear anywhere.',
  },
};

export const POLICY: Record<MembershipPolicy, { label: string; explain: string }> = {
  open: { label: 'Anyone can join', explain: 'People join with one click, no approval needed.' },
  request: {
    label: 'People ask to join',
    explain: 'Coordinators approve or decline each request.',
  },
  invitation: {
    label: 'By invitation only',
    explain: 'People join through an emailed invitation.',
  },
};

/** Which membership policies each privacy allows (the server refuses the others). */
export const POLICIES_FOR: Record<GroupPrivacy, MembershipPolicy[]> = {
  open: ['open', 'request', 'invitation'],
  closed: ['request', 'invitation'],
  secret: ['invitation'],
};

export const PERMISSIONS: { key: keyof GroupPermissions; label: string }[] = [
  { key: 'membersCanStartDiscussions', label: 'Start discussions' },
  { key: 'membersCanRaiseProposals', label: 'Start polls and proposals' },
  { key: 'membersCanVote', label: 'Vote in polls' },
  { key: 'membersCanEditComments', label: 'Edit their own comments' },
  { key: 'membersCanAddMembers', label: 'Invite new members' },
];

export const DEFAULT_PERMISSIONS: GroupPermissions = {
  membersCanStartDiscussions: true,
  membersCanAddMembers: false,
  membersCanEditComments: true,
  membersCanRaiseProposals: true,
  membersCanVote: true,
};

/** A handle suggested from a group's name: lowercase letters, digits and hyphens, 3 to 40 long. */
export function suggestHandle(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return base.length >= 3 || base.length === 0 ? base : `${base}-group`;
}
