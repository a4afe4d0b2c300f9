import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RuntimeSettings } from '@elastiq/config';
import { ElastiqError } from '@elastiq/core';
import { connectRedis } from '@elastiq/redis';
import type { Logger } from 'pino';
import { BOARD_PATH, createDashboardApp } from './dashboard-app';
import { type DashboardCredentials, resolveDashboardCredentials } from './dashboard-credentials';

export type DashboardServerSettings = Pick<RuntimeSettings, 'redis' | 'queuePrefix' | 'dashboard'>;

export interface RunningDashboard {
  /** Where Bull Board is, e.g. `http://127.0.0.1:3000/admin/queues` (no credentials in it). */
  url: string;
  host: string;
  port: number;
  credentials: DashboardCredentials;
  readOnly: boolean;
  close(): Promise<void>;
}

/**
 * Starts the dashboard. Credentials are resolved (and a non-loopback address without them is
 * refused) before anything listens or connects to Redis.
 */
export async function startDashboard(settings: DashboardServerSettings, { log }: { log?: Logger } = {}): Promise<RunningDashboard> {
  const credentials = await resolveDashboardCredentials(settings.dashboard);
  const connection = await connectRedis(settings.redis, 'dashboard', { hint: 'start redis-server or set ELASTIQ_REDIS_URL' });
  // After a successful start a lost Redis is reported and reconnected to; the board shows errors meanwhile.
  connection.on('error', (error: Error) => log?.warn({ error: error.message }, 'redis connection error'));
  const { app, queues } = createDashboardApp({
    connection,
    prefix: settings.queuePrefix,
    credentials,
    readOnly: settings.dashboard.readOnly,
  });
  let server: Server;
  try {
    server = await listen(app, settings.dashboard.host, settings.dashboard.port);
  } catch (error) {
    await queues.close();
    connection.disconnect();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const hostInUrl = settings.dashboard.host.includes(':') ? `[${settings.dashboard.host}]` : settings.dashboard.host;
  return {
    url: `http://${hostInUrl}:${port}${BOARD_PATH}`,
    host: settings.dashboard.host,
    port,
    credentials,
    readOnly: settings.dashboard.readOnly,
    async close() {
      // Bull Board polls: open keep-alive connections would hold close() until they time out.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queues.close();
      connection.disconnect();
    },
  };
}

function listen(app: ReturnType<typeof createDashboardApp>['app'], host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === 'EADDRINUSE'
          ? 'another program uses that port: choose another with ELASTIQ_DASHBOARD_PORT'
          : 'check ELASTIQ_DASHBOARD_HOST and ELASTIQ_DASHBOARD_PORT';
      reject(new ElastiqError(`cannot listen on ${host}:${port} (${error.code ?? error.message})`, { hint, cause: error }));
    });
  });
}
