/** Catalogue entries (see catalogue.ts) for meetings. */
import type { RouteDoc } from './catalogue.js';

const MEETING = '{ meeting: MeetingDto }';
const HIDDEN = 'A meeting the viewer may not see answers 404, as if it did not exist.';
const FACILITATORS = "The meeting's facilitators and the group's coordinators.";

export const MEETING_ROUTES: Record<string, RouteDoc> = {
  'POST /api/groups/:group/meetings': {
    purpose: 'Schedule a meeting of the group; the creator facilitates it.',
    auth: 'Whoever may start discussions in the group.',
    ok: [201],
    body: MEETING,
    note: '`facilitatorIds` must be active members and `discussionIds` discussions of the group (400 naming the first that is not). Quick votes are opened in the first linked discussion.',
    errors: ['not_found'],
  },
  'GET /api/groups/:group/meetings': {
    purpose: "The group's meetings the viewer may see, latest scheduled first (at most 100).",
    ok: [200],
    body: '{ items: MeetingSummaryDto[] }',
    errors: ['not_found'],
  },
  'GET /api/meetings/live': {
    purpose: "The live meetings of the signed-in person's groups (the “live now” banner).",
    ok: [200],
    body: '{ items: MeetingSummaryDto[] }',
  },
  'GET /api/meetings/:id': {
    purpose:
      "The meeting's whole current state, presented for the viewer's view (facilitator, participant or visitor).",
    ok: [200],
    body: MEETING,
    note: `${HIDDEN} Visitors (open groups) never see who raised a point of order until called; temperature counts reach facilitators only.`,
    errors: ['not_found'],
  },
  'PATCH /api/meetings/:id': {
    purpose: 'Edit the title, schedule, expected length, facilitators or linked discussions.',
    auth: FACILITATORS,
    ok: [200],
    body: MEETING,
    errors: ['not_found'],
  },
  'POST /api/meetings/:id/actions': {
    purpose:
      'One meeting action (start, end, agenda, timers, hands, speakers, settings, temperature, quick votes, the minutes’ minute-taker and publishing them), the same as the socket event `meeting:act`.',
    auth: 'Participants raise and lower their hand and send temperature signals; every other action is for the facilitators.',
    ok: [200],
    body: MEETING,
    note: `${HIDDEN} Actions a double click could repeat carry a \`clientId\` or the state they saw (\`from\`), so they happen once. Live screens receive the result as \`meeting:state\`. \`minutes.publish\` (after the meeting ended) stores the minutes' Markdown in the meeting, posts them to its first discussion (\`minutes_published\`) and notifies the members (\`meeting_minutes\`); the same \`clientId\` again changes nothing, another answers \`minutes_published\`.`,
    errors: ['not_found', 'meeting_state', 'meeting_no_discussion', 'minutes_published'],
  },
};
