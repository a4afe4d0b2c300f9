export { type CloudSimOptions, cloudSimOptionsSchema } from './cloud-sim-options';
export { createRuntime, type InstanceRuntime, type RuntimeOptions, type SshEndpoint, type SshEndpointSpec } from './runtime';
export type { ActionStats, StatsSnapshot } from './sim/api-stats';
export { BOOT_DELAY_SYNTAX, type BootDelaySpec, parseBootDelaySpec } from './sim/boot-delay';
export { DEFAULT_IMAGE, type SimImage } from './sim/catalog';
export type { FaultConfig } from './sim/faults';
export { createSeededRandom, type RandomSource } from './sim/seeded-random';
export type { InstanceView } from './sim/instance-view';
export { type RunningCloudSim, startCloudSim } from './start-cloud-sim';
