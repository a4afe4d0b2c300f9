import type { z } from 'zod';
import { type Diagnostics, SectionDrop } from './diagnostics';
import type { ResolvedSection } from './resolved-section';
import { isUnusualBooleanWord } from './value-schemas';

export interface SectionSchemaOptions {
  /** Keys that hold booleans: an unusual word gives a warning (ElastiCluster reads it as false). */
  booleanKeys?: readonly string[];
  /** Keys that are accepted without a schema entry (e.g. `<kind>_groups`). */
  isExtraKey?: (key: string) => boolean;
  /** What to say about a key that is neither in the schema nor an extra key. */
  unknownKeyAdvice: string;
}

/**
 * Parses the keys a schema knows; warns about every other key instead of dropping it silently
 * or dropping the whole section (ElastiCluster's closed login/cloud schemas do the latter).
 * A schema violation drops the section with a message that names the key.
 */
export function parseSectionKeys<Schema extends z.ZodObject>(
  section: ResolvedSection,
  schema: Schema,
  diagnostics: Diagnostics,
  options: SectionSchemaOptions,
): z.output<Schema> {
  const known = new Set(Object.keys(schema.shape));
  const input: Record<string, string> = {};
  for (const [key, entry] of section.entries) {
    if (known.has(key)) input[key] = entry.value;
    else if (!options.isExtraKey?.(key)) {
      const origin = entry.fromDefault ? ' (it comes from [DEFAULT])' : '';
      diagnostics.warn(section.locate(key), `is not a known key here and is ignored${origin}: ${options.unknownKeyAdvice}`);
    }
  }
  for (const key of options.booleanKeys ?? []) {
    const value = input[key];
    if (value !== undefined && isUnusualBooleanWord(value)) {
      diagnostics.warn(section.locate(key), `'${value}' is not a boolean word (true/yes/on/1 or false/no/off/0); it is read as false, as ElastiCluster does`);
    }
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path[0] === undefined ? undefined : String(issue.path[0]);
    const missing = key !== undefined && input[key] === undefined;
    throw new SectionDrop(section.locate(key), missing ? 'is required but missing' : (issue?.message ?? 'is invalid'));
  }
  return parsed.data;
}
