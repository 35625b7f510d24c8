/**
 * Join requests as coordinators review them: the requester (with their email
 * when the policy allows it: coordinators of the group, P5), the introduction,
 * and the decision.
 */
import type { JoinRequest } from '../models/join-request.js';
import { presentUser, presentUserSummary } from './user.js';
import type { JoinRequestDto } from '../../../shared/dto.js';

export type { JoinRequestDto };

type UserLike = Parameters<typeof presentUser>[0];

export function presentJoinRequest(
  request: Pick<
    JoinRequest,
    | '_id'
    | 'groupId'
    | 'userId'
    | 'introduction'
    | 'status'
    | 'decidedById'
    | 'decidedAt'
    | 'createdAt'
  >,
  people: { requester: UserLike | null | undefined; decidedBy?: UserLike | null },
  options: { includeEmail: boolean },
): JoinRequestDto {
  return {
    id: String(request._id),
    groupId: String(request.groupId),
    requester: people.requester
      ? presentUser(people.requester, options)
      : presentUserSummary(null, request.userId),
    introduction: request.introduction,
    status: request.status,
    decidedBy: request.decidedById
      ? presentUserSummary(people.decidedBy, request.decidedById)
      : null,
    decidedAt: request.decidedAt ? request.decidedAt.toISOString() : null,
    createdAt: request.createdAt.toISOString(),
  };
}
