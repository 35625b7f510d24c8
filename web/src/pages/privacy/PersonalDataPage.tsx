/** Being built (privacy issue): the route exists so the app compiles; replaced by its real page. */
export function PersonalDataPage() {
  return <h1>PersonalDataPage</h1>;
}
