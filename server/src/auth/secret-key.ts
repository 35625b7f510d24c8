/**
 * The app secret as a key object, made once per secret. Handed a string,
 * jsonwebtoken first tries to parse it as a public or private key and throws
 * (costly) before falling back to a secret key, on every sign and verify: a
 * few percent of the server's CPU under load (every socket handshake, every
 * request, every unsubscribe link of every email).
 */
import { createSecretKey, type KeyObject } from 'node:crypto';

const keys = new Map<string, KeyObject>();

/** The HMAC key of `secret` (the same object for the same secret). */
export function secretKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret))));
  return key;
}
