import { z } from 'zod';

// Job data comes from Redis, written by producers and workers of any version: it is parsed, and
// anything unexpected falls back to Bull Board's plain job name rather than failing the page.
const JobReferenceSchema = z.object({
  cluster: z.string(),
  generation: z.number().optional(),
  node: z.string().optional(),
  round: z.number().optional(),
  sweep: z.number().optional(),
});
const StepProgressSchema = z.object({ step: z.string() });

interface JobJson {
  name?: unknown;
  data?: unknown;
  progress?: unknown;
}

/**
 * The name a person reads in the job list: `node-probe · demo/compute002 · gen 1 · probing`.
 * The payload only holds references (cluster, generation, node) and the worker reports its step
 * in the progress, so both are put into the one line Bull Board shows per job.
 */
export function describeJob(job: JobJson): string {
  const name = typeof job.name === 'string' ? job.name : '';
  const reference = JobReferenceSchema.safeParse(job.data);
  if (!reference.success) return name;
  const { cluster, generation, node, round, sweep } = reference.data;
  const subject = node === undefined ? cluster : `${cluster}/${node}`;
  // Workers name jobs for people (`start demo/compute002`, `coordinate demo gen 1`): what the
  // name already says is not repeated; jobs named by older producers (`node-start`) get it added.
  const parts = [name];
  if (!name.includes(subject)) parts.push(subject);
  if (generation !== undefined && !name.includes(`gen ${generation}`)) parts.push(`gen ${generation}`);
  if (round !== undefined && round > 0) parts.push(`round ${round}`);
  if (sweep !== undefined && sweep > 0) parts.push(`sweep ${sweep}`);
  const progress = StepProgressSchema.safeParse(job.progress);
  if (progress.success) parts.push(progress.data.step);
  return parts.join(' · ');
}
