export { startCloudSim, type RunningCloudSim } from './start-cloud-sim';
export { type CloudSimOptions, cloudSimOptionsSchema } from './cloud-sim-options';
export type { FaultConfig } from './sim/faults';
export type { InstanceView } from './sim/instance-view';
export type { StatsSnapshot, ActionStats } from './sim/api-stats';
export { type BootDelaySpec, parseBootDelaySpec, BOOT_DELAY_SYNTAX } from './sim/boot-delay';
export { DEFAULT_IMAGE, type SimImage } from './sim/catalog';
export { createRuntime, type InstanceRuntime, type RuntimeOptions, type SshEndpoint, type SshEndpointSpec } from './runtime';
