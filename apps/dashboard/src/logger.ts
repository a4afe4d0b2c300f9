import pino, { type Logger } from 'pino';

// The dashboard handles a password and Authorization headers: both are censored even if a bug
// puts them into a log object.
const REDACTED_PATHS = ['password', '*.password', 'credentials', '*.credentials', 'authorization', '*.authorization', '*.headers.authorization'];

export function createDashboardLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'elastiq-dashboard', pid: process.pid }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
