/** One's personal data and the end of an account: the export link, deactivating, deleting, reactivating. */
import type { SelfDto } from '../../../shared/dto.js';
import { api } from '../api/client.js';
import { reconnectRealtime } from '../realtime/socket.js';
import { useStore } from '../store/index.js';

/** The download of everything Quorum holds about the signed-in person (a same-origin GET with the cookie). */
export const EXPORT_URL = '/api/me/export';

/** The server has ended every session: forget the person here and reconnect the socket as a visitor. */
function signedOut(): void {
  useStore.getState().setMe(null);
  reconnectRealtime();
}

export async function deactivateAccount(password: string): Promise<void> {
  await api.post('/me/deactivate', { password });
  signedOut();
}

export async function deleteAccount(password: string, confirm: string): Promise<void> {
  await api.post('/me/delete', { password, confirm });
  signedOut();
}

/** After sign-in answered `account_deactivated`: restores the account and signs in. */
export async function reactivateAccount(email: string, password: string): Promise<void> {
  const { user } = await api.post<{ user: SelfDto }>('/auth/reactivate', { email, password });
  useStore.getState().setMe(user);
  reconnectRealtime();
}
