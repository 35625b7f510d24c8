/** Being built (privacy issue): the route exists so the app compiles; replaced by its real page. */
export function ThirdPartiesPage() {
  return <h1>ThirdPartiesPage</h1>;
}
