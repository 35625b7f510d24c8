/** Being built (web client issue): the route exists so the app compiles; replaced by its real page. */
export function Settings() {
  return <h1>Settings</h1>;
}
