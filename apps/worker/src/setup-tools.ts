import { ConfigurationError } from '@elastiq/core';
import type { QueueKind } from '@elastiq/queue';

// Setup jobs run the Ansible provider's `ansible-playbook` on the worker's machine. A worker
// without it would take a setup job only to fail it, so it does not serve the setup queue at all:
// the job waits in Redis for a worker that can run it (BullMQ hands a job only to a worker
// listening on its queue). The script provider needs nothing but SSH, yet shares the queue: one
// setup queue keeps job ids, progress and `elastiq setup` simple, at the price that a fleet with
// no Ansible machine runs no setup at all (the CLI says no worker serves the setup queue).

export interface ServedKinds {
  kinds: QueueKind[];
  /** Why clusterSetup was left out, for the start-up log; null when nothing was. */
  leftOut: string | null;
}

/**
 * The job kinds this worker serves given whether ansible-playbook is on its PATH. Kinds the
 * operator named explicitly (ELASTIQ_WORKER_QUEUES) are a promise: one that cannot be kept is a
 * configuration error at start-up rather than setup jobs failing later.
 */
export function kindsServable(kinds: QueueKind[], { explicit, hasAnsiblePlaybook }: { explicit: boolean; hasAnsiblePlaybook: boolean }): ServedKinds {
  if (hasAnsiblePlaybook || !kinds.includes('clusterSetup')) return { kinds, leftOut: null };
  if (explicit) {
    throw new ConfigurationError('ELASTIQ_WORKER_QUEUES names clusterSetup, but ansible-playbook is not on PATH', {
      key: 'ELASTIQ_WORKER_QUEUES',
      hint: 'install Ansible on this machine, or leave clusterSetup out of ELASTIQ_WORKER_QUEUES',
    });
  }
  return { kinds: kinds.filter((kind) => kind !== 'clusterSetup'), leftOut: 'ansible-playbook is not on PATH: this worker takes no setup jobs' };
}
