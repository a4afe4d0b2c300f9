import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { CloudSim } from './cloud-sim';
import { type CloudSimOptions, resolveCloudSimOptions } from './cloud-sim-options';
import { createCloudSimServer } from './http-server';
import { createRuntime } from './runtime';
import { accountFilePath, loadAccount } from './sim/account-file';
import { AddressPool } from './sim/address-pool';
import type { StatsSnapshot } from './sim/api-stats';
import type { CapacityRules } from './sim/capacity-view';
import type { FaultConfig } from './sim/faults';
import type { InstanceView } from './sim/instance-view';

export interface RunningCloudSim {
  /** http://host:port — give it to the SDK as `endpoint`. */
  endpoint: string;
  host: string;
  port: number;
  region: string;
  /** Stops the HTTP server and every instance's SSH server; removes a temporary rootDir. */
  stop(): Promise<void>;
  instances(): InstanceView[];
  stats(): StatsSnapshot;
  setFaults(update: FaultConfig): void;
  clearFaults(): void;
  capacity(): ReturnType<CloudSim['capacity']>;
  setCapacity(rules: CapacityRules['rules']): void;
  reset(): Promise<void>;
  killInstance(instanceId: string, options?: { terminate?: boolean }): void;
  /** The spot market takes a spot instance back (terminated, Server.SpotInstanceTermination). */
  interruptSpotInstance(instanceId: string): void;
  changeHostKey(instanceId: string): Promise<void>;
}

/** Starts cloud-sim in this process (tests) — the elastiq-cloud-sim command is a wrapper of it. */
export async function startCloudSim(input: CloudSimOptions = {}): Promise<RunningCloudSim> {
  const options = resolveCloudSimOptions(input);
  const log = pino({ name: 'cloud-sim', level: options.logLevel, redact: ['authorizedKeys', 'userData', '*.userData'] });
  const ownsRootDir = options.rootDir === undefined;
  const rootDir = options.rootDir ?? (await mkdtemp(join(tmpdir(), 'elastiq-cloud-sim-')));
  if (options.keepState) await mkdir(rootDir, { recursive: true });
  const keptAccount = options.keepState ? loadAccount(accountFilePath(rootDir)) : undefined;
  if (keptAccount && options.addressBlock !== undefined && options.addressBlock !== keptAccount.addressBlock) {
    throw new Error(
      `the kept account in ${rootDir} uses addresses 127.${keptAccount.addressBlock}.*.*, not the asked 127.${options.addressBlock}.*.*: drop addressBlock or use another root dir`,
    );
  }
  // A restored account's instances keep their addresses, so its block is claimed again.
  const addresses = await AddressPool.claim(keptAccount?.addressBlock ?? options.addressBlock);
  const runtime =
    options.runtime === 'none'
      ? undefined
      : createRuntime({ mode: options.runtime, rootDir: join(rootDir, 'runtime'), homeIsolation: options.homeIsolation, logger: log.child({ part: 'runtime' }) });
  const sim = new CloudSim({ ...options, rootDir }, runtime, addresses, log, keptAccount);
  const server = createCloudSimServer(sim);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    await sim.shutdown();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sim.shutdown();
      if (ownsRootDir) await rm(rootDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  return {
    endpoint: `http://${options.host}:${port}`,
    host: options.host,
    port,
    region: options.region,
    stop,
    instances: () => sim.instances(),
    stats: () => sim.stats(),
    setFaults: (update) => sim.setFaults(update),
    clearFaults: () => sim.clearFaults(),
    capacity: () => sim.capacity(),
    setCapacity: (rules) => sim.setCapacity(rules),
    reset: () => sim.reset(),
    killInstance: (instanceId, killOptions) => sim.killInstance(instanceId, killOptions),
    interruptSpotInstance: (instanceId) => sim.interruptSpotInstance(instanceId),
    changeHostKey: (instanceId) => sim.changeHostKey(instanceId),
  };
}
