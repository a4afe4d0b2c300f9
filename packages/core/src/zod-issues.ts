import type { z } from 'zod';

/** One line per issue, `path.to.field: what is wrong`, for error messages that say what to fix. */
export function formatZodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.');
    return `${path.replace(/\.\[/g, '[') || '(top level)'}: ${issue.message}`;
  });
}
