import pino, { type Logger } from 'pino';

// Anything that looks like key material or a credential is censored even if a bug puts it in a
// log object: the logs of a fleet end up in shared places.
export const REDACTED_PATHS = [
  'password',
  'secret',
  'secretAccessKey',
  'accessKeyId',
  'sessionToken',
  'privateKey',
  'credentials',
  '*.password',
  '*.secret',
  '*.secretAccessKey',
  '*.accessKeyId',
  '*.sessionToken',
  '*.privateKey',
  '*.credentials',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'elastiq-worker', pid: process.pid }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
