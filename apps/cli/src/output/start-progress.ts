import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { Terminal } from '../command-context';
import type { KindProgress, StartSnapshot } from '@elastiq/client';

/** Shows a start while it runs: bars on a terminal, one line per change otherwise. */
export interface StartProgressView {
  update(snapshot: StartSnapshot): void;
  /** Leaves the terminal clean for what comes next. */
  stop(): void;
}

export function createStartProgressView(terminal: Terminal): StartProgressView {
  return terminal.interactive ? new ProgressBars() : new ProgressLines(terminal);
}

function describeCounts(progress: KindProgress): string {
  return `launched ${progress.launched}, running ${progress.running}, up ${progress.up}, failed ${progress.failed}`;
}

function phaseOf(snapshot: StartSnapshot): string | null {
  const cluster = snapshot.cluster;
  if (cluster === null) return 'the cluster record is gone (stopped)';
  if (cluster.status === 'setting-up') return `configuring the cluster: ${snapshot.setupStep ?? 'setup queued'}`;
  if (cluster.status === 'stopping') return 'the cluster is being stopped';
  return null;
}

class ProgressBars implements StartProgressView {
  private readonly bars = new MultiBar(
    {
      stream: process.stderr,
      format: ' {kind} |{bar}| {value}/{total} up | launched {launched}, running {running}, failed {failed}',
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
    },
    Presets.shades_classic,
  );
  private readonly byKind = new Map<string, SingleBar>();
  private lastPhase: string | null = null;

  update(snapshot: StartSnapshot): void {
    const width = Math.max(0, ...Object.keys(snapshot.kinds).map((kind) => kind.length));
    for (const [kind, progress] of Object.entries(snapshot.kinds)) {
      const payload = { kind: kind.padEnd(width), launched: progress.launched, running: progress.running, failed: progress.failed };
      const bar = this.byKind.get(kind);
      if (bar === undefined) this.byKind.set(kind, this.bars.create(progress.wanted, progress.up, payload));
      else bar.update(progress.up, payload);
    }
    const phase = phaseOf(snapshot);
    if (phase !== null && phase !== this.lastPhase) this.bars.log(`${phase}\n`);
    this.lastPhase = phase;
  }

  stop(): void {
    this.bars.stop();
  }
}

class ProgressLines implements StartProgressView {
  private readonly printed = new Map<string, string>();

  constructor(private readonly terminal: Terminal) {}

  update(snapshot: StartSnapshot): void {
    for (const [kind, progress] of Object.entries(snapshot.kinds)) this.printOnChange(kind, `  ${kind}: ${progress.up}/${progress.wanted} up (${describeCounts(progress)})`);
    const phase = phaseOf(snapshot);
    if (phase !== null) this.printOnChange('phase', phase);
  }

  stop(): void {}

  private printOnChange(key: string, line: string): void {
    if (this.printed.get(key) === line) return;
    this.printed.set(key, line);
    this.terminal.err(line);
  }
}
