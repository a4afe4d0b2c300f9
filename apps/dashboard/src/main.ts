#!/usr/bin/env node
import { loadRuntimeSettings } from '@elastiq/config';
import { ElastiqError } from '@elastiq/core';
import { startDashboard } from './dashboard-server';
import { createDashboardLogger } from './logger';
import { startupBanner } from './startup-banner';

// elastiq-dashboard: Bull Board over the fleet's queues until SIGTERM/SIGINT.
async function main(): Promise<void> {
  const settings = loadRuntimeSettings();
  const log = createDashboardLogger(settings.logLevel);
  const dashboard = await startDashboard(settings, { log });
  process.stdout.write(startupBanner(dashboard));
  log.info(
    { url: dashboard.url, username: dashboard.credentials.username, passwordSource: dashboard.credentials.source, readOnly: dashboard.readOnly, prefix: settings.queuePrefix },
    'elastiq-dashboard started',
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'elastiq-dashboard stopping');
    await dashboard.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ElastiqError) {
    process.stderr.write(`elastiq-dashboard: ${error.toUserLine()}\n`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`elastiq-dashboard: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
