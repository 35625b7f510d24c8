/**
 * The demo's three groups, one of each privacy: an open garden whose
 * discussions anyone may read, a closed housing co-op, and the co-op's secret
 * finance committee, which even the co-op's other members cannot see. Created
 * through the same commands as the API (each group with its first coordinator
 * in one transaction), so the rosters obey the same rules.
 */
import { createGroup } from '../../server/src/commands/groups/create-group.js';
import { createJoinRequest } from '../../server/src/commands/groups/join-requests.js';
import { ensureMembership } from '../../server/src/commands/groups/roster.js';
import type { GroupDocument } from '../../server/src/models/group.js';
import type { UserDocument } from '../../server/src/models/user.js';
import type { Cast } from './people.js';

export interface DemoGroups {
  garden: GroupDocument;
  coop: GroupDocument;
  finance: GroupDocument;
}

async function enrol(
  group: GroupDocument,
  coordinators: UserDocument[],
  members: UserDocument[],
): Promise<void> {
  for (const [people, role] of [
    [coordinators, 'coordinator'],
    [members, 'member'],
  ] as const) {
    for (const person of people) {
      await ensureMembership({ groupId: group._id, userId: person._id, role });
    }
  }
}

export async function createGroups(cast: Cast): Promise<DemoGroups> {
  const garden = await createGroup({
    creatorId: cast.amara._id,
    handle: 'riverside-garden',
    name: 'Riverside Community Garden',
    description:
      'Twenty-two plots, a shared herb spiral and a lot of compost by the river path. ' +
      'Work days most Saturdays; everyone welcome, no experience needed.',
    privacy: 'open',
    membershipPolicy: 'request',
  });
  await enrol(garden, [cast.priya], [cast.meiling, cast.nightowl, cast.jonah]);

  const coop = await createGroup({
    creatorId: cast.tomas._id,
    handle: 'maple-street',
    name: 'Maple Street Housing Co-op',
    description:
      'Twelve households at 14–18 Maple Street, owning and running our building together. ' +
      'Repairs, house rules and the general meeting agenda are decided here.',
    privacy: 'closed',
    membershipPolicy: 'invitation',
  });
  await enrol(coop, [cast.zoe], [cast.meiling, cast.priya, cast.nightowl, cast.amara]);

  const finance = await createGroup({
    creatorId: cast.meiling._id,
    // Secret: no handle; members reach it by its id.
    name: 'Co-op Finance Committee',
    description:
      'Budgets, the reserve fund and arrears. Secret, so that individual households’ ' +
      'circumstances stay with the committee.',
    privacy: 'secret',
    parent: coop,
    parentMembersCanSee: false,
  });
  await enrol(finance, [], [cast.tomas, cast.zoe]);

  await createJoinRequest({
    groupId: garden._id,
    userId: cast.samir._id,
    introduction:
      "I live on Mill Lane and I'm a roofer by trade. I'd love a plot, or failing that " +
      'to help build the new compost bays.',
  });
  return { garden, coop, finance };
}
