import pino, { type Logger } from 'pino';
import type { InstanceRuntime } from './contract';
import { SshdRuntime } from './sshd-runtime';

export type { InstanceRuntime, SshEndpoint, SshEndpointSpec } from './contract';
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
  /** Default: a pino logger named "cloud-sim-runtime" on stderr. */
  logger?: Logger;
}

export function createRuntime(options: RuntimeOptions): InstanceRuntime {
  const log = options.logger ?? pino({ name: 'cloud-sim-runtime', redact: ['authorizedKeys', 'privateKey'] });
  if (options.mode === 'sshd') {
    return new SshdRuntime({
      sshdPath: options.sshdPath ?? '/usr/sbin/sshd',
      maxStartups: options.maxStartups ?? '1000:30:2000',
      log,
    });
  }
  throw new Error('light mode: not implemented yet');
}
