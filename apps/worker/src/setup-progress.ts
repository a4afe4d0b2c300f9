import type { NodeSetupResult } from '@elastiq/setup';
import type { Job } from 'bullmq';

/**
 * The setup job's progress as the provider reports nodes one by one, so `elastiq start`/`setup`
 * (and Bull Board) can show "setup: 3/5 nodes ok, 1 failed" while the playbook still runs. The
 * record is only written once at the end (a save per node would race under optimistic concurrency).
 */
export class SetupProgress {
  private ok = 0;
  private failed = 0;
  private skipped = 0;
  /** Progress writes are chained so a late one never overwrites a newer count. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly job: Job,
    private readonly provider: string,
    private readonly total: number,
  ) {}

  settle(_node: string, result: NodeSetupResult): void {
    if (result.status === 'skipped') this.skipped += 1;
    else if (result.ok) this.ok += 1;
    else this.failed += 1;
    void this.report();
  }

  report(): Promise<void> {
    const counts = { total: this.total, ok: this.ok, failed: this.failed, skipped: this.skipped };
    this.writing = this.writing.then(() => this.job.updateProgress({ step: 'running setup', provider: this.provider, nodes: counts })).catch(() => undefined);
    return this.writing;
  }
}
