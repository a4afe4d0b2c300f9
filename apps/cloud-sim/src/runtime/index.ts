import pino, { type Logger } from 'pino';
import type { InstanceRuntime } from './contract';
import type { HomeIsolation } from './home-isolation';
import { LightRuntime } from './light-runtime';
import { InstanceRuntimeError } from './runtime-error';
import { SshdRuntime } from './sshd-runtime';

export type { InstanceRuntime, SshEndpoint, SshEndpointSpec } from './contract';
export type { HomeIsolation } from './home-isolation';
export { LightRuntime } from './light-runtime';
export { InstanceRuntimeError } from './runtime-error';
export { SshdRuntime } from './sshd-runtime';

export interface RuntimeOptions {
  mode: 'sshd' | 'light';
  /** Where the runtime may keep files of its own (instances' files live in their stateDir/homeDir). */
  rootDir: string;
  /** Default /usr/sbin/sshd. */
  sshdPath?: string;
  /** sshd's MaxStartups for every instance; default 1000:30:2000 so bursts of probes are not dropped. */
  maxStartups?: string;
  /**
   * sshd mode: how instances of one image user get separate homes (see home-isolation.ts).
   * Default: mount-namespace as root, set-env otherwise (the only one possible without root).
   */
  homeIsolation?: HomeIsolation;
  /** Default: a pino logger named "cloud-sim-runtime" on stderr. */
  logger?: Logger;
}

export function createRuntime(options: RuntimeOptions): InstanceRuntime {
  const log = options.logger ?? pino({ name: 'cloud-sim-runtime', redact: ['authorizedKeys', 'privateKey'] });
  const isRoot = process.getuid?.() === 0;
  if (options.mode === 'sshd') {
    const homeIsolation = options.homeIsolation ?? (isRoot ? 'mount-namespace' : 'set-env');
    if (homeIsolation === 'mount-namespace' && !isRoot) {
      throw new InstanceRuntimeError(
        'homeIsolation "mount-namespace" needs root (it bind-mounts each instance home); use "set-env" or run cloud-sim as root',
      );
    }
    return new SshdRuntime({
      sshdPath: options.sshdPath ?? '/usr/sbin/sshd',
      maxStartups: options.maxStartups ?? '1000:30:2000',
      homeIsolation,
      log,
    });
  }
  return new LightRuntime(log);
}
