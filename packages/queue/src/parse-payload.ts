import { InvalidJobPayload } from '@elastiq/core';
import type { z } from 'zod';

/**
 * Parses a job's data with its schema. A mismatch is never worth a retry: it throws
 * InvalidJobPayload naming every bad field, which workers turn into UnrecoverableError.
 */
export function parseJobPayload<S extends z.ZodType>(
  schema: S,
  job: { name: string; id?: string; data: unknown },
): z.infer<S> {
  const parsed = schema.safeParse(job.data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
  throw new InvalidJobPayload(job.name, issues, { jobId: job.id });
}
