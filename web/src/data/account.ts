/** One's own account: profile, password, sessions and email verification. */
import type { SelfDto } from '../../../shared/dto.js';
import { api } from '../api/client.js';
import { reconnectRealtime } from '../realtime/socket.js';
import { useStore } from '../store/index.js';

export async function updateProfile(input: { name?: string; handle?: string }): Promise<SelfDto> {
  const { user } = await api.patch<{ user: SelfDto }>('/me', input);
  useStore.getState().setMe(user);
  return user;
}

/**
 * Uploads a new profile photo. The server checks it, strips its metadata and
 * stores it resized; the answer carries the photo's address.
 */
export async function uploadAvatar(file: Blob): Promise<SelfDto> {
  const { user } = await api.upload<{ user: SelfDto }>('/me/avatar', file);
  useStore.getState().setMe(user);
  return user;
}

/** Removes the profile photo: initials show again. */
export async function removeAvatar(): Promise<SelfDto> {
  const { user } = await api.delete<{ user: SelfDto }>('/me/avatar');
  useStore.getState().setMe(user);
  return user;
}

/**
 * Changes the password. The server ends every other session, this socket's
 * included (it announces that as a sign-out); the answer carries a fresh
 * session, so the socket reconnects with it and the person stays signed in.
 */
export async function changePassword(currentPassword: string, newPassword: string) {
  const { user } = await api.post<{ user: SelfDto }>('/auth/password', {
    currentPassword,
    newPassword,
  });
  useStore.getState().setMe(user);
  reconnectRealtime();
}

/** Ends every session of the account, this one included. */
export async function signOutEverywhere(): Promise<void> {
  await api.post('/auth/signout-everywhere');
  useStore.getState().setMe(null);
  reconnectRealtime();
}

export async function resendVerification(): Promise<void> {
  await api.post('/auth/verify-email/resend');
}
