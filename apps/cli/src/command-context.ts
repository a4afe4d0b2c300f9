import { resolve } from 'node:path';
import { type LoadedConfiguration, loadConfiguration, loadRuntimeSettings, type RuntimeSettings } from '@elastiq/config';
import { EXIT_CODES, ElastiqError } from '@elastiq/core';
import { ElastiqClient, connectFleetRedis, recordPrefix } from '@elastiq/client';
import type { FleetProducer } from '@elastiq/queue';
import { type ClusterRepository, DiskClusterRepository, RedisClusterRepository, type StoreWarning } from '@elastiq/store';
import { COMMAND_RECONNECT_MS, describeRedis, type RedisConnection } from '@elastiq/redis';
import pino, { type Logger } from 'pino';
import { UsageError } from './errors';
import type { GlobalOptions } from './global-options';

/** Where a command writes: stdout for results, stderr for progress, warnings and errors. */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars) rather than a pipe or file (plain lines). */
  interactive: boolean;
}

/**
 * What every command may need, opened on first use and closed once at the end, so that
 * `list-templates` never touches Redis and `list -s DIR` never needs it.
 */
export class CommandContext {
  readonly log: Logger;
  private settingsValue: RuntimeSettings | undefined;
  private configuration: Promise<LoadedConfiguration> | undefined;
  private redis: Promise<RedisConnection> | undefined;
  private repository: Promise<ClusterRepository> | undefined;
  private client: Promise<ElastiqClient> | undefined;

  constructor(
    readonly options: GlobalOptions,
    readonly terminal: Terminal,
  ) {
    const levels = ['warn', 'info', 'debug', 'trace'] as const;
    this.log = pino(
      {
        name: 'elastiq',
        level: levels[Math.min(options.verbose, levels.length - 1)],
        redact: { paths: ['password', '*.password', 'secretKey', '*.secretKey', 'ec2SecretKey', '*.ec2SecretKey', 'privateKey', '*.privateKey'], censor: '[redacted]' },
      },
      pino.destination(2),
    );
  }

  get verbose(): boolean {
    return this.options.verbose > 0;
  }

  get settings(): RuntimeSettings {
    this.settingsValue ??= loadRuntimeSettings();
    return this.settingsValue;
  }

  /** The ElastiCluster-compatible configuration (`-c`, default ~/.elasticluster/config). */
  loadConfiguration(): Promise<LoadedConfiguration> {
    this.configuration ??= loadConfiguration({
      ...(this.options.config !== undefined ? { configPath: resolve(this.options.config), explicit: true } : {}),
    }).then((loaded) => {
      for (const warning of loaded.warnings) this.log.info({ file: warning.file, section: warning.section, key: warning.key }, warning.message);
      return loaded;
    });
    return this.configuration;
  }

  /** Redis (the fleet's store and queues) at ELASTIQ_REDIS_URL (or its Sentinels or Cluster). */
  connectRedis(): Promise<RedisConnection> {
    this.redis ??= connectFleetRedis(this.settings, (message) => this.terminal.err(message));
    return this.redis;
  }

  /**
   * The command's failure said in terms of Redis when its link was lost for good (down longer
   * than the reconnect budget): the requests then fail with ioredis's bare "Connection is closed".
   * What was enqueued goes on without this command.
   */
  async explainLostRedis(error: unknown): Promise<unknown> {
    if (error instanceof ElastiqError || this.redis === undefined) return error;
    const redis = await this.redis.catch(() => undefined);
    if (redis?.status !== 'end') return error;
    return new ElastiqError(`lost the connection to Redis at ${describeRedis(this.settings.redis)} for more than ${COMMAND_RECONNECT_MS / 1000} s`, {
      hint: 'what was already enqueued goes on in the fleet; once Redis answers, `elastiq list` and `elastiq watch NAME` show where it stands',
      exitCode: EXIT_CODES.unavailable,
      cause: error,
    });
  }

  /** The cluster records: a storage directory with `-s`, the fleet's Redis otherwise. */
  openRepository(): Promise<ClusterRepository> {
    this.repository ??= (async () => {
      const onWarning = (warning: StoreWarning) => this.terminal.err(`warning: ${warning.message} (${warning.location})`);
      if (this.options.storage !== undefined) return new DiskClusterRepository(resolve(this.options.storage), { onWarning });
      return new RedisClusterRepository(await this.connectRedis(), { prefix: this.fleetRecordPrefix(), onWarning });
    })();
    return this.repository;
  }

  /**
   * The admin-script API the CLI is built on (one way in); commands that enqueue work need the
   * fleet's Redis, not a directory.
   */
  openClient(command: string): Promise<ElastiqClient> {
    if (this.options.storage !== undefined) {
      throw new UsageError(
        `\`${command}\` works through the fleet's Redis, not a storage directory`,
        'leave out -s/--storage (Redis is found through ELASTIQ_REDIS_URL)',
      );
    }
    this.client ??= (async () => {
      const [connection, repository] = await Promise.all([this.connectRedis(), this.openRepository()]);
      return ElastiqClient.connect({ connection, repository, settings: this.settings, ...(this.options.config !== undefined ? { configFile: this.options.config } : {}) });
    })();
    return this.client;
  }

  /** The producer side of the fleet, as the client holds it. */
  async openProducer(command: string): Promise<FleetProducer> {
    return (await this.openClient(command)).producer;
  }

  /** Cluster records live next to the queues, under the installation's queue prefix. */
  fleetRecordPrefix(): string {
    return recordPrefix(this.settings.queuePrefix);
  }

  async close(): Promise<void> {
    const client = this.client && (await this.client.catch(() => undefined));
    await client?.close().catch(() => undefined);
    const redis = this.redis && (await this.redis.catch(() => undefined));
    if (redis !== undefined) await redis.quit().catch(() => redis.disconnect());
    this.log.flush();
  }
}
