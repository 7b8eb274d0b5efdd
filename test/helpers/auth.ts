/**
 * Bearer tokens for tests, signed with the run's test key (testEnv.auth): `asUser(...)` gives
 * the headers of a request made by that user, role and agency.
 */
import { signToken, type Role } from '../../api/auth/tokens';
import { testEnv } from './env';

export interface TestUser {
  user: string;
  role: Role;
  /** Agency codes ('*' for every agency); default the sample agency 620102. */
  agencies?: string[];
  personKey?: string;
}

export function tokenFor(u: TestUser, ttlSeconds?: number): string {
  return signToken(testEnv.auth, { sub: u.user, role: u.role, agencies: u.agencies ?? ['620102'], personKey: u.personKey, ttlSeconds });
}

/** Headers for app.inject / fetch as the given user. */
export function asUser(u: TestUser): { authorization: string } {
  return { authorization: `Bearer ${tokenFor(u)}` };
}
