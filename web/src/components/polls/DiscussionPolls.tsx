/** The polls of a discussion (being built in the web client issue; the discussion page places it). */
export function DiscussionPolls(_props: { discussionId: string }) {
  return null;
}
