/** Being built (web client issue): the route exists so the app compiles; replaced by its real page. */
export function InvitationPage() {
  return <h1>InvitationPage</h1>;
}
