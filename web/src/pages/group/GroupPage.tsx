/** Being built (web client issue): the route exists so the app compiles; replaced by its real page. */
export function GroupPage() {
  return <h1>GroupPage</h1>;
}
