import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { RuntimeSettings } from '@elastiq/config';
import { ConfigurationError } from '@elastiq/core';
import { isLoopbackHost } from './loopback-host';

export type DashboardSettings = RuntimeSettings['dashboard'];

export interface DashboardCredentials {
  username: string;
  password: string;
  /** Where the password came from; `generated` ones must be shown to the user once. */
  source: 'environment' | 'file' | 'generated';
}

/** The user name when only a password is configured (or generated). */
export const DEFAULT_DASHBOARD_USERNAME = 'elastiq';

/**
 * The dashboard never runs without basic auth. On loopback a missing password is generated (only
 * local users can try it, and it is printed once); on any other address a missing username or
 * password is a configuration error, because Bull Board can retry, remove and add jobs.
 */
export async function resolveDashboardCredentials(settings: DashboardSettings): Promise<DashboardCredentials> {
  const configured = settings.password !== undefined ? { password: settings.password, source: 'environment' as const } : await passwordFromFile(settings.passwordFile);
  if (!isLoopbackHost(settings.host) && (settings.username === undefined || configured === undefined)) {
    const missing = settings.username === undefined ? 'ELASTIQ_DASHBOARD_USERNAME' : 'ELASTIQ_DASHBOARD_PASSWORD';
    throw new ConfigurationError(`must be set: the dashboard would listen on ${settings.host}, which is not a loopback address`, {
      key: missing,
      hint: 'set ELASTIQ_DASHBOARD_USERNAME and ELASTIQ_DASHBOARD_PASSWORD (or ELASTIQ_DASHBOARD_PASSWORD_FILE), or listen on 127.0.0.1',
    });
  }
  const username = settings.username ?? DEFAULT_DASHBOARD_USERNAME;
  if (configured !== undefined) return { username, ...configured };
  // 18 random bytes: 144 bits, 24 URL-safe characters that survive copy and paste.
  return { username, password: randomBytes(18).toString('base64url'), source: 'generated' };
}

async function passwordFromFile(path: string | undefined): Promise<{ password: string; source: 'file' } | undefined> {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigurationError(`cannot read ${path} (${code})`, { key: 'ELASTIQ_DASHBOARD_PASSWORD_FILE', hint: 'point it at a readable file that holds the password' });
  }
  // Editors and `echo` end files with a newline that is not part of the password.
  const password = text.replace(/\r?\n$/, '');
  if (password === '') {
    throw new ConfigurationError(`${path} is empty`, { key: 'ELASTIQ_DASHBOARD_PASSWORD_FILE', hint: 'write the password into the file' });
  }
  return { password, source: 'file' };
}
