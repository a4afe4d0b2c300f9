import { ConfigurationError } from '@elastiq/core';
import type { z } from 'zod';

/** Where a provider's options came from, so errors can point at the config file and section. */
export interface ConfigOrigin {
  configFile?: string;
  /** e.g. "setup/ansible" */
  configSection?: string;
}

/**
 * Turns the first zod issue into a ConfigurationError that names the config key (not the
 * TypeScript option name) the user has to change.
 */
export function toConfigurationError(
  error: z.ZodError,
  origin: ConfigOrigin,
  configKeyOf: (path: readonly PropertyKey[]) => string,
): ConfigurationError {
  const issue = error.issues[0];
  const key = issue === undefined ? undefined : configKeyOf(issue.path);
  return new ConfigurationError(issue?.message ?? 'invalid setup options', {
    file: origin.configFile,
    section: origin.configSection,
    key,
  });
}

/** The location part of a ConfigurationError's options. */
export function originOf(origin: ConfigOrigin): { file?: string; section?: string } {
  return { file: origin.configFile, section: origin.configSection };
}
