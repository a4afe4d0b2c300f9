import type { Job } from 'bullmq';

// Bull Board shows a job's progress object as is, and the dashboard puts its `step` into the
// job's one-line name. Every report carries who the job is about and which attempt this is, so
// a progress read on its own (a screenshot, `getJob`) still says what it refers to.

export interface ProgressSubject {
  cluster: string;
  node?: string;
  kind?: string;
}

export type ReportProgress = (step: string, details?: Record<string, unknown>) => Promise<void>;

export function jobProgress(job: Job, subject: ProgressSubject): ReportProgress {
  return async (step, details = {}) => {
    await job.updateProgress({ step, ...subject, attempt: job.attemptsMade + 1, ...details });
  };
}
