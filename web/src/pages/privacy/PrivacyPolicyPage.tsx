/** Being built (privacy issue): the route exists so the app compiles; replaced by its real page. */
export function PrivacyPolicyPage() {
  return <h1>PrivacyPolicyPage</h1>;
}
