import { ConfigurationError } from '@elastiq/core';

export { ConfigurationError };

/** Where in the configuration a problem is; `line` is known for INI files. */
export interface ConfigLocation {
  file?: string;
  section?: string;
  key?: string;
  line?: number;
}

/** core's ConfigurationError for a location: "file [section] key: problem (line N)". */
export function configurationError(location: ConfigLocation, problem: string): ConfigurationError {
  const { file, section, key, line } = location;
  return new ConfigurationError(line ? `${problem} (line ${line})` : problem, { file, section, key });
}

/** `file: section: key ` prefix used in drop reasons and warnings. */
export function formatLocation(location: ConfigLocation): string {
  const parts: string[] = [];
  if (location.file) parts.push(location.line ? `${location.file}:${location.line}` : location.file);
  if (location.section) parts.push(location.section);
  const prefix = parts.length > 0 ? `${parts.join(': ')}: ` : '';
  return location.key ? `${prefix}${location.key} ` : prefix;
}
