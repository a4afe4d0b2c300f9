import { rmSync } from 'node:fs';

// Everything a test harness starts must die with the test process, even when a test fails before
// its afterAll runs or jest exits early. The 'exit' event only allows synchronous work, which is
// enough for SIGKILL and rmSync. A terminating signal (Ctrl+C, jest killing a worker) skips
// 'exit', so those signals are caught too and re-raised after the clean-up.
// (SIGKILL of the test process itself cannot be caught; nothing helps there.)
//
// The listener is installed while something is registered and removed when the registry empties,
// because jest loads this module once per test file in the same worker: a permanent listener per
// load would pile up.

const livePids = new Set<number>();
const liveDirs = new Set<string>();
let listenerInstalled = false;

function cleanUpOnExit(): void {
  for (const pid of livePids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of liveDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort at exit: nothing left to report to
    }
  }
  livePids.clear();
  liveDirs.clear();
}

const TERMINATING_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function cleanUpOnSignal(signal: NodeJS.Signals): void {
  cleanUpOnExit();
  const othersListen = process.listenerCount(signal) > 1;
  uninstall();
  // Alone, our listener suppressed the default action (termination): restore and re-raise it.
  if (!othersListen) process.kill(process.pid, signal);
}

function install(): void {
  process.on('exit', cleanUpOnExit);
  for (const signal of TERMINATING_SIGNALS) process.on(signal, cleanUpOnSignal);
  listenerInstalled = true;
}

function uninstall(): void {
  process.removeListener('exit', cleanUpOnExit);
  for (const signal of TERMINATING_SIGNALS) process.removeListener(signal, cleanUpOnSignal);
  listenerInstalled = false;
}

function syncListener(): void {
  const needed = livePids.size > 0 || liveDirs.size > 0;
  if (needed && !listenerInstalled) install();
  else if (!needed && listenerInstalled) uninstall();
}

export function registerPid(pid: number): void {
  livePids.add(pid);
  syncListener();
}

export function unregisterPid(pid: number): void {
  livePids.delete(pid);
  syncListener();
}

export function registerDir(dir: string): void {
  liveDirs.add(dir);
  syncListener();
}

export function unregisterDir(dir: string): void {
  liveDirs.delete(dir);
  syncListener();
}

/** Pids still registered for kill-on-exit (for tests of the harness itself). */
export function trackedPids(): number[] {
  return [...livePids];
}
