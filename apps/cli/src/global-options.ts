import { z } from 'zod';

/** Options that come before the subcommand (`elastiq -c FILE -v list`). */
export const GlobalOptionsSchema = z.object({
  config: z.string().min(1, 'must be a path').optional(),
  storage: z.string().min(1, 'must be a path').optional(),
  /** How many times -v was given. */
  verbose: z.number().int().nonnegative().default(0),
});

export type GlobalOptions = z.output<typeof GlobalOptionsSchema>;
