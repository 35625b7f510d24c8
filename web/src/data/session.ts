/** Signing in and out, and who is signed in. */
import type { SelfDto } from '../../../shared/dto.js';
import { api } from '../api/client.js';
import { reconnectRealtime } from '../realtime/socket.js';
import { useStore } from '../store/index.js';

/**
 * Who is signed in: `GET /api/session` answers "no one" without an error (no
 * 401 in the console). An answer to a question asked before this screen's
 * session changed (a sign-in link confirmed while the page's first check was
 * out, a sign-out) is older news: dropped, so it cannot sign the screen out.
 */
export async function loadMe(): Promise<void> {
  const asked = sessionNow();
  const { user } = await api.get<{ user: SelfDto | null }>('/session');
  if (sessionNow() === asked) useStore.getState().setMe(user);
}

/** The screen's session as the store holds it: who, and whether that is known yet. */
function sessionNow(): unknown {
  const { me, sessionStatus } = useStore.getState();
  return me ?? sessionStatus;
}

function signedIn(user: SelfDto): void {
  useStore.getState().setMe(user);
  reconnectRealtime();
}

export async function signIn(email: string, password: string): Promise<void> {
  const { user } = await api.post<{ user: SelfDto }>('/auth/signin', { email, password });
  signedIn(user);
}

export async function signUp(input: { name: string; email: string; password: string }) {
  const { user } = await api.post<{ user: SelfDto }>('/auth/signup', input);
  signedIn(user);
}

/**
 * Creates an account through an email invitation: it takes the invited
 * address (confirmed by the link), accepts the invitation and signs in.
 */
export async function signUpThroughInvitation(
  token: string,
  input: { name: string; password: string },
): Promise<void> {
  const { user } = await api.post<{ user: SelfDto }>(
    `/invitations/${encodeURIComponent(token)}/signup`,
    input,
  );
  signedIn(user);
}

export async function confirmSignInLink(token: string): Promise<void> {
  const { user } = await api.post<{ user: SelfDto }>('/auth/signin-link/confirm', { token });
  signedIn(user);
}

export async function confirmPasswordReset(token: string, newPassword: string): Promise<void> {
  const { user } = await api.post<{ user: SelfDto }>('/auth/password-reset/confirm', {
    token,
    newPassword,
  });
  signedIn(user);
}

export async function signOut(): Promise<void> {
  await api.post('/auth/signout');
  useStore.getState().setMe(null);
  reconnectRealtime();
}
