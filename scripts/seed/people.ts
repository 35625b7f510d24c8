/**
 * The demo's people. Everyone shares one published password, so the accounts
 * are only ever created on an empty database and never by default in
 * production (SEED_DEMO). Display names are free text, a pseudonym included
 * (P7); the addresses are on example.org, which can receive no mail.
 */
import { hashPassword } from '../../server/src/auth/passwords.js';
import { UserModel, type UserDocument } from '../../server/src/models/user.js';

/** The password of every demo account; printed at start-up and written in the README. */
export const DEMO_PASSWORD = 'quorum-demo';

/** Who is who, in the order the README and the start-up log list them. */
export const DEMO_PEOPLE = [
  {
    key: 'amara',
    name: 'Amara Okafor',
    role: 'coordinates Riverside Community Garden; member of Maple Street Housing Co-op',
  },
  {
    key: 'tomas',
    name: 'Tomás Herrera',
    role: 'coordinates Maple Street Housing Co-op; member of its Finance Committee',
  },
  {
    key: 'meiling',
    name: 'Mei-Ling Chen',
    role: 'coordinates the Co-op Finance Committee (secret); member of the co-op and the garden',
  },
  {
    key: 'zoe',
    name: 'Zoë Lefebvre',
    role: 'coordinates Maple Street Housing Co-op; member of its Finance Committee',
  },
  {
    key: 'priya',
    name: 'Priya Raman',
    role: 'coordinates Riverside Community Garden; member of the co-op',
  },
  {
    key: 'nightowl',
    name: 'Night Owl',
    role: 'a pseudonym; member of the garden and the co-op, not of the Finance Committee',
  },
  {
    key: 'jonah',
    name: 'Jonah Brooks',
    role: 'member of the garden only: sees neither the co-op nor its committee',
  },
  {
    key: 'samir',
    name: 'Samir Haddad',
    role: 'in no group: a guest in one co-op discussion, asking to join the garden',
  },
] as const;

export type PersonKey = (typeof DEMO_PEOPLE)[number]['key'];

/** The demo's people by key, as stored. */
export type Cast = Record<PersonKey, UserDocument>;

/** A demo account as printed at start-up. */
export interface DemoAccount {
  name: string;
  handle: string;
  email: string;
  password: string;
  role: string;
}

/** The address of a demo person: their key (which is also their handle) at example.org. */
export const demoEmail = (key: PersonKey) => `${key}@example.org`;

/** The accounts as they are printed and documented. */
export function demoAccounts(): DemoAccount[] {
  return DEMO_PEOPLE.map((p) => ({
    name: p.name,
    handle: p.key,
    email: demoEmail(p.key),
    password: DEMO_PASSWORD,
    role: p.role,
  }));
}

/**
 * Creates the accounts, verified. Not through the sign-up command: that would
 * mail a verification link to each address and leave the accounts unverified,
 * which a demo should not be. They share one hash: the password is published
 * anyway, and scrypt is deliberately slow.
 */
export async function createPeople(): Promise<Cast> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users = await UserModel.create(
    DEMO_PEOPLE.map((p) => ({
      name: p.name,
      handle: p.key,
      email: demoEmail(p.key),
      emailVerifiedAt: new Date(),
      passwordHash,
    })),
  );
  return Object.fromEntries(DEMO_PEOPLE.map((p, i) => [p.key, users[i]])) as Cast;
}
