import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { descendantsOf, signal, snapshotChildrenByParent, waitUntilGone } from './process-tree';
import { InstanceRuntimeError } from './runtime-error';

const READY_TIMEOUT_MS = 15_000;
const EXIT_TIMEOUT_MS = 5_000;

export interface SshdLaunch {
  sshdPath: string;
  configPath: string;
  address: string;
  port: number;
  instanceId: string;
  /** Command prefix sshd runs under (e.g. the private mount namespace of home isolation). */
  wrapper: string[];
}

/** One running sshd listener; its pid is what stop() and the tests check. */
export class SshdProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
  ) {}

  /** Spawns sshd and resolves once it logs that it is listening (so SSH is answerable). */
  static async launch({ sshdPath, configPath, address, port, instanceId, wrapper }: SshdLaunch): Promise<SshdProcess> {
    // setpriv's parent-death signal makes the listener die with cloud-sim even on SIGKILL; it
    // survives the execs of the wrapper, which all end in exec'ing sshd (one pid throughout).
    // -r: no re-exec of sshd per connection. Re-exec only re-randomises memory layout (no
    // value for a simulator) and costs an exec per handshake: measured 2.3x the handshakes/s.
    const sshd = [sshdPath, '-D', '-r', '-e', '-f', configPath, '-o', `ListenAddress=${address}:${port}`];
    const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', ...wrapper, ...sshd], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const pid = child.pid;
    if (pid === undefined) {
      await once(child, 'error').catch(() => undefined);
      throw new InstanceRuntimeError(`could not spawn sshd for ${instanceId} (is util-linux setpriv installed?)`);
    }
    await waitUntilListening(child, instanceId, `${address}:${port}`);
    return new SshdProcess(child, pid);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Powers the instance off: the listener and every session it forked (sshd re-parents nothing,
   * so its sessions are its descendants) are killed, not asked to finish.
   */
  async kill(childrenByParent?: Map<number, number[]>): Promise<void> {
    if (!this.running) return;
    // Frozen first, so it cannot fork a new session between the snapshot and the kill.
    signal(this.pid, 'SIGSTOP');
    const tree = childrenByParent ?? (await snapshotChildrenByParent());
    const sessions = descendantsOf(this.pid, tree);
    for (const pid of sessions) signal(pid, 'SIGKILL');
    signal(this.pid, 'SIGKILL');
    if (!(await waitUntilGone([this.pid, ...sessions], EXIT_TIMEOUT_MS))) {
      throw new InstanceRuntimeError(`sshd ${this.pid} or one of its sessions survived SIGKILL for ${EXIT_TIMEOUT_MS} ms`);
    }
  }
}

function waitUntilListening(child: ChildProcess, instanceId: string, endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const recentLog: string[] = [];
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(`did not start listening on ${endpoint} within ${READY_TIMEOUT_MS} ms`);
    }, READY_TIMEOUT_MS);
    const fail = (why: string) => {
      cleanup();
      reject(new InstanceRuntimeError(`sshd for ${instanceId} ${why}. Its log: ${recentLog.join(' | ') || '(empty)'}`));
    };
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        recentLog.push(line);
        if (recentLog.length > 10) recentLog.shift();
        if (line.startsWith('Server listening on')) {
          cleanup();
          // Keep draining stderr (per-login log lines) so a full pipe never blocks sshd.
          child.stderr?.resume();
          resolve();
          return;
        }
      }
    };
    const onExit = (code: number | null, signalName: string | null) => fail(`exited (${code ?? signalName}) before listening on ${endpoint}`);
    const onError = (error: Error) => fail(`could not be spawned: ${error.message}`);
    const cleanup = () => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}
