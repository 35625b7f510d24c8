/** Being built (web client issue): the route exists so the app compiles; replaced by its real page. */
export function NewGroupPage() {
  return <h1>NewGroupPage</h1>;
}
