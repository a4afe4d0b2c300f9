// Local stand-in until `@elastiq/core` exports its ConfigurationError (the core package is being
// written in parallel). Same fields, so switching is a one-line import change.
export interface ConfigLocation {
  file?: string;
  section?: string;
  key?: string;
  line?: number;
}

export class ConfigurationError extends Error {
  readonly file?: string;
  readonly section?: string;
  readonly key?: string;

  /** `problem` is prefixed with the location unless `withLocationPrefix` is false. */
  constructor(location: ConfigLocation, problem: string, withLocationPrefix = true) {
    super(withLocationPrefix ? `${formatLocation(location)}${problem}` : problem);
    this.name = 'ConfigurationError';
    this.file = location.file;
    this.section = location.section;
    this.key = location.key;
  }
}

/** `file:line: section: key ` prefix so every message says where to look. */
export function formatLocation(location: ConfigLocation): string {
  const parts: string[] = [];
  if (location.file) parts.push(location.line ? `${location.file}:${location.line}` : location.file);
  if (location.section) parts.push(location.section);
  const prefix = parts.length > 0 ? `${parts.join(': ')}: ` : '';
  return location.key ? `${prefix}${location.key} ` : prefix;
}
