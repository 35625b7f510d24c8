/**
 * The server side of SCRAM-SHA-256 (RFC 5802 / RFC 7677), the mechanism the
 * driver and mongosh use by default. The engine keeps only the salted keys of a
 * password (StoredKey, ServerKey), never the password itself; a conversation
 * checks the client's proof and answers with the server signature that proves
 * the engine knew the keys too.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** The driver refuses fewer than 4096 iterations; mongod's default for SHA-256 is 15000. */
export const SCRAM_ITERATIONS = 15_000;

export interface ScramCredential {
  user: string;
  /** The database the user is defined in (always `admin` here). */
  db: string;
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, text: string | Buffer) =>
  createHmac('sha256', key).update(text).digest();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

/**
 * SASLprep as far as passwords typed by people need it: non-ASCII spaces become
 * spaces, characters mapped to nothing go, then NFKC (RFC 4013 sections 2.1-2.2).
 */
export function saslPrep(password: string): string {
  return Array.from(password, (ch) => {
    const code = ch.codePointAt(0)!;
    if (NON_ASCII_SPACES.has(code) || (code >= 0x2000 && code <= 0x200b)) return ' ';
    if (MAPPED_TO_NOTHING.has(code) || (code >= 0xfe00 && code <= 0xfe0f)) return '';
    return ch;
  })
    .join('')
    .normalize('NFKC');
}

const NON_ASCII_SPACES = new Set([0xa0, 0x1680, 0x202f, 0x205f, 0x3000]);
const MAPPED_TO_NOTHING = new Set([
  0xad, 0x34f, 0x1806, 0x180b, 0x180c, 0x180d, 0x200c, 0x200d, 0x2060, 0xfeff,
]);

export function makeCredential(
  user: string,
  password: string,
  iterations = SCRAM_ITERATIONS,
): ScramCredential {
  const salt = randomBytes(28);
  const salted = pbkdf2Sync(saslPrep(password), salt, iterations, 32, 'sha256');
  return {
    user,
    db: 'admin',
    salt,
    iterations,
    storedKey: sha256(hmac(salted, 'Client Key')),
    serverKey: hmac(salted, 'Server Key'),
  };
}

export class ScramError extends Error {}

/** `n=user` with SCRAM's escapes undone (`=2C` is a comma, `=3D` an equals sign). */
function unescapeName(name: string): string {
  if (/=(?!2C|3D)/.test(name)) throw new ScramError('invalid username encoding');
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq !== 1) throw new ScramError(`malformed SCRAM attribute '${part}'`);
    out.set(part[0], part.slice(2));
  }
  return out;
}

/** One authentication attempt: `start` takes client-first, `finish` client-final. */
export class ScramConversation {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private credential: ScramCredential | undefined;
  private failed = false;

  constructor(private readonly lookup: (user: string) => ScramCredential | undefined) {}

  /** The user the client named in its first message. */
  user = '';

  start(clientFirst: string): string {
    if (!clientFirst.startsWith('n,')) throw new ScramError('channel binding is not supported');
    const gs2End = clientFirst.indexOf(',', 2);
    if (gs2End < 0) throw new ScramError('malformed SCRAM client-first message');
    this.clientFirstBare = clientFirst.slice(gs2End + 1);
    const attrs = attributes(this.clientFirstBare);
    const name = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (name === undefined || !clientNonce) throw new ScramError('missing user or nonce');
    this.user = unescapeName(name);
    this.credential = this.lookup(this.user);
    // An unknown user gets a plausible challenge, so a failure does not reveal which users exist.
    const salt = this.credential?.salt ?? randomBytes(28);
    const iterations = this.credential?.iterations ?? SCRAM_ITERATIONS;
    this.failed = this.credential === undefined;
    this.nonce = clientNonce + randomBytes(24).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${salt.toString('base64')},i=${iterations}`;
    return this.serverFirst;
  }

  /** Checks the proof; returns server-final (`v=...`) or throws when the proof is wrong. */
  finish(clientFinal: string): string {
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramError('missing client proof');
    const withoutProof = clientFinal.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs.get('r') !== this.nonce) throw new ScramError('nonce mismatch');
    if (attrs.get('c') !== 'biws') throw new ScramError('channel binding is not supported');
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
    const credential = this.credential;
    if (this.failed || !credential || proof.length !== 32) throw new ScramError('bad proof');
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const signature = hmac(credential.storedKey, authMessage);
    const clientKey = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) clientKey[i] = proof[i] ^ signature[i];
    if (!timingSafeEqual(sha256(clientKey), credential.storedKey))
      throw new ScramError('bad proof');
    return `v=${hmac(credential.serverKey, authMessage).toString('base64')}`;
  }
}
