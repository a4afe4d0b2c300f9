import { loadRuntimeSettings, type WorkerSettings } from '@elastiq/config';

// Timing knobs of the fleet. Defaults suit a real cloud; tests shorten the sweeps. The ones a
// user may set come from the environment through @elastiq/config, which documents their defaults.

export type FleetTuning = WorkerSettings['fleet'] & {
  /** Sweeps after a rollback (and the minimum for a stop). */
  sweepCount: number;
  /** A stop gives up (keeping the record, unless --force) after this many sweeps. */
  stopMaxSweeps: number;
  /**
   * A probe whose instance is pending parks this long unless the probe watcher wakes it first
   * (it does within a snapshot's age of the instance running): the late look is only for a
   * watcher that does not run (no worker serves probeWatch, or it failed for good).
   */
  probeWatchFallbackMs: number;
  /**
   * A start or resize launching more nodes than this names its instances per kind at launch
   * (`<cluster>-<kind>`, in RunInstances' tags) instead of one CreateTags per node (name-tagger.ts).
   */
  perNodeNamesUpTo: number;
};

/** The knobs of a worker's settings, plus the ones no user needs to change. */
export function fleetTuningFrom(settings: WorkerSettings): FleetTuning {
  return { ...settings.fleet, sweepCount: 2, stopMaxSweeps: 60, probeWatchFallbackMs: 15_000, perNodeNamesUpTo: 1000 };
}

/** With every setting at its default (for workers started in-process, e.g. by tests). */
export const DEFAULT_FLEET_TUNING: FleetTuning = fleetTuningFrom(loadRuntimeSettings({}).worker);
