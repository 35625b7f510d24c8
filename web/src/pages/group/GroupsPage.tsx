/** Being built (web client issue): the route exists so the app compiles; replaced by its real page. */
export function GroupsPage() {
  return <h1>GroupsPage</h1>;
}
