import { z } from 'zod';

// Building blocks for per-action parameter schemas. Query parameters are always strings.

/** A numbered list (`InstanceId.1`, `InstanceId.2`); a single unnumbered value is accepted too,
 *  as some older clients send it that way. */
export function listOf<Item extends z.ZodType>(item: Item) {
  return z.preprocess((value) => (value === undefined || Array.isArray(value) ? value : [value]), z.array(item));
}

export const integerParam = z
  .string()
  .regex(/^-?\d+$/, 'must be a whole number')
  .transform((text) => Number(text));

export const booleanParam = z.enum(['true', 'false']).transform((text) => text === 'true');

export const filterList = listOf(
  z.object({
    Name: z.string(),
    Value: listOf(z.string()).optional(),
  }),
);

export const tagList = listOf(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256).optional() }));

export type Filter = { Name: string; Value?: string[] };
