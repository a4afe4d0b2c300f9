import type { RunningDashboard } from './dashboard-server';

/**
 * What a person needs to log in, printed once to the terminal. A generated password appears
 * here and nowhere else (not in the log, not in Redis): it lives as long as this process.
 */
export function startupBanner(dashboard: RunningDashboard): string {
  const { url, credentials, readOnly } = dashboard;
  const password =
    credentials.source === 'generated'
      ? `${credentials.password}   (generated for this run; choose one with ELASTIQ_DASHBOARD_PASSWORD or ELASTIQ_DASHBOARD_PASSWORD_FILE)`
      : `(from ${credentials.source === 'file' ? 'ELASTIQ_DASHBOARD_PASSWORD_FILE' : 'ELASTIQ_DASHBOARD_PASSWORD'})`;
  return [
    `elastiq-dashboard${readOnly ? ' (read-only)' : ''}: ${url}`,
    `  username: ${credentials.username}`,
    `  password: ${password}`,
    '',
  ].join('\n');
}
