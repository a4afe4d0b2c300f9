import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

export interface BasicAuthCredentials {
  username: string;
  password: string;
}

const CHALLENGE = 'Basic realm="elastiq-dashboard", charset="UTF-8"';

/**
 * HTTP basic auth in front of everything. Digests of equal length make timingSafeEqual usable
 * whatever the lengths of the guesses, so the time taken says nothing about how close a guess was;
 * both parts are always compared so it says nothing about which part was wrong either.
 */
export function requireBasicAuth(expected: BasicAuthCredentials): RequestHandler {
  const expectedUser = digest(expected.username);
  const expectedPassword = digest(expected.password);
  return (request, response, next) => {
    const given = parseBasicAuthorization(request.headers.authorization);
    const userMatches = timingSafeEqual(digest(given?.username ?? ''), expectedUser);
    const passwordMatches = timingSafeEqual(digest(given?.password ?? ''), expectedPassword);
    if (given !== null && userMatches && passwordMatches) {
      next();
      return;
    }
    response.status(401).set('WWW-Authenticate', CHALLENGE).type('text/plain').send('elastiq-dashboard: authentication required\n');
  };
}

/** `Basic base64(user:password)` → its parts; null for anything else. The password may contain ':'. */
export function parseBasicAuthorization(header: string | undefined): BasicAuthCredentials | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match === null) return null;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
