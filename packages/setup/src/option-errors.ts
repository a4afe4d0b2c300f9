import { ConfigurationError } from '@elastiq/core';
import type { z } from 'zod';

/** Where a provider's options came from, so errors can point at the config file and section. */
export interface ConfigOrigin {
  configFile?: string;
  /** e.g. "setup/ansible" */
  configSection?: string;
}

/**
 * Where options that failed to parse say they came from: only string values count, since a
 * malformed configFile is itself one of the problems being reported.
 */
export function readConfigOrigin(input: unknown): ConfigOrigin {
  if (typeof input !== 'object' || input === null) return {};
  const { configFile, configSection } = input as Record<string, unknown>;
  return {
    configFile: typeof configFile === 'string' ? configFile : undefined,
    configSection: typeof configSection === 'string' ? configSection : undefined,
  };
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
