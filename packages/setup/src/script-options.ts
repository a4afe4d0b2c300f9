import { z } from 'zod';
import { readConfigOrigin, toConfigurationError } from './option-errors';

export const ScriptProviderOptionsSchema = z.object({
  /** The script every node runs, unless its kind has its own. */
  scriptPath: z.string().min(1, 'is empty: give the path of the script to run').optional(),
  /** kind → script (`<kind>_script_path`). */
  kindScriptPaths: z.record(z.string(), z.string().min(1, 'is empty: give the path of the script to run')).default({}),
  /** Run the script through `sudo -n` (image_sudo). */
  sudo: z.boolean().default(false),
  /** How many nodes run their script at the same time. */
  concurrency: z.number().int().positive().max(1000).default(10),
  /** Deadline per node and attempt, connection included. */
  timeoutMs: z.number().int().positive().default(600_000),
  /** How many times a node whose script failed or that could not be reached runs it again. */
  retries: z.number().int().min(0).max(20).default(2),
  /** Output kept per node (the tail), so a chatty script cannot exhaust memory. */
  maxOutputBytes: z.number().int().positive().default(64 * 1024),
  configFile: z.string().optional(),
  configSection: z.string().optional(),
});

export type ScriptProviderOptionsInput = z.input<typeof ScriptProviderOptionsSchema>;
export type ScriptProviderOptions = z.output<typeof ScriptProviderOptionsSchema>;

const CONFIG_KEY_OF_OPTION: Record<string, string> = {
  scriptPath: 'script_path',
  sudo: 'image_sudo',
  concurrency: 'script_concurrency',
  timeoutMs: 'script_timeout',
  retries: 'retries',
};

function configKeyOf(path: readonly PropertyKey[]): string {
  const [head, second] = path.map(String);
  if (head === 'kindScriptPaths' && second !== undefined) return `${second}_script_path`;
  return CONFIG_KEY_OF_OPTION[head ?? ''] ?? head ?? 'setup';
}

export function parseScriptProviderOptions(input: unknown): ScriptProviderOptions {
  const parsed = ScriptProviderOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw toConfigurationError(parsed.error, readConfigOrigin(input), configKeyOf);
}
