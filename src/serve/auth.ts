// Bearer tokens from the configuration. Compared in constant time: both sides are hashed first so
// timingSafeEqual always sees equal lengths and the token's length does not leak either.

import { createHash, timingSafeEqual } from 'node:crypto';

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export function tokenMatches(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token a request carries: `Authorization: Bearer <token>` or `X-Marsad-Token: <token>`. */
export function requestToken(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1].trim();
  }
  const x = headers['x-marsad-token'];
  return typeof x === 'string' && x ? x.trim() : undefined;
}
