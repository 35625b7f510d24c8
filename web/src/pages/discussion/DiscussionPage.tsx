/** Being built (web client issue): the route exists so the app compiles; replaced by its real page. */
export function DiscussionPage() {
  return <h1>DiscussionPage</h1>;
}
