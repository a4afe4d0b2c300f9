import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { ALL_QUEUE_KINDS, type FleetQueues, openFleetQueues } from '@elastiq/queue';
import express, { type Express } from 'express';
import type { RedisConnection } from '@elastiq/redis';
import { type BasicAuthCredentials, requireBasicAuth } from './basic-auth';
import { describeJob } from './job-presentation';

export const BOARD_PATH = '/admin/queues';

export interface DashboardAppOptions {
  connection: RedisConnection;
  /** The runtime queuePrefix shared with the workers and the CLI. */
  prefix: string;
  credentials: BasicAuthCredentials;
  /** Bull Board's readOnlyMode on every queue: no retry, remove, pause, add or clean. */
  readOnly: boolean;
}

export interface DashboardApp {
  app: Express;
  queues: FleetQueues;
}

/** Bull Board over every elastiq queue at /admin/queues, every route behind basic auth. */
export function createDashboardApp({ connection, prefix, credentials, readOnly }: DashboardAppOptions): DashboardApp {
  const queues = openFleetQueues(connection, prefix);
  const adapters = ALL_QUEUE_KINDS.map((kind) => {
    const adapter = new BullMQAdapter(queues[kind], { readOnlyMode: readOnly, description: QUEUE_DESCRIPTIONS[kind] });
    adapter.setFormatter('name', describeJob);
    return adapter;
  });
  const serverAdapter = new ExpressAdapter().setBasePath(BOARD_PATH);
  createBullBoard({
    queues: adapters,
    serverAdapter,
    options: { uiConfig: { boardTitle: readOnly ? 'elastiq (read-only)' : 'elastiq', hideDocsLink: true } },
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(requireBasicAuth(credentials));
  app.get('/', (_request, response) => response.redirect(BOARD_PATH));
  app.use(BOARD_PATH, serverAdapter.getRouter());
  return { app, queues };
}

const QUEUE_DESCRIPTIONS: Record<(typeof ALL_QUEUE_KINDS)[number], string> = {
  nodeStart: 'one job per node of a start or resize: launches its instance',
  nodeProbe: 'one job per node: waits until the instance runs and answers SSH',
  probeWatch: 'one job per start or resize: wakes the probes of the instances the cloud now reports running',
  nodeStop: 'terminates one node of a start that was rolled back',
  clusterCoordinator: 'decides a start or the growth of a resize (ready, degraded, rolled back) and hands over to setup',
  clusterStop: 'terminates every instance of a cluster, sweeping for late launches',
  clusterSetup: 'configures a started cluster (Ansible or script provider)',
  clusterPause: 'stops every instance of a cluster (elastiq pause) until the cloud reports them stopped',
  clusterResume: 'starts a paused cluster again and decides which nodes came back',
  nodeResume: 'one job per node of a resume: probes its new address against its pinned host key',
  clusterUpdate: 'lists a cluster\'s instances once and brings its record in line (elastiq update)',
  clusterShrink: 'terminates the nodes a resize or remove-node removes, in one batched call',
  fleetGc: 'finds instances of this installation that no live cluster owns and terminates them (scheduled; `elastiq gc` lists them)',
};
