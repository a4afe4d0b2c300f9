// Job names are what a person reads in Bull Board's lists (`start demo/compute002`); the ids stay
// the deterministic ones of job-ids.ts, which deduplicate. The queue already says what kind of
// job it is, so a name only needs the verb and what it acts on. Nothing parses these names.

export function nodeStartJobName(cluster: string, node: string): string {
  return `start ${cluster}/${node}`;
}

export function nodeProbeJobName(cluster: string, node: string): string {
  return `probe ${cluster}/${node}`;
}

/** The generation is part of the name, as for the coordinator: each start or resize has its own watcher. */
export function probeWatchJobName(cluster: string, generation: number): string {
  return `watch ${cluster} gen ${generation}`;
}

export function nodeStopJobName(cluster: string, node: string): string {
  return `stop ${cluster}/${node}`;
}

/** The generation is part of the name: a failed start and its restart are different coordinators. */
export function coordinatorJobName(cluster: string, generation: number): string {
  return `coordinate ${cluster} gen ${generation}`;
}

export function clusterStopJobName(cluster: string): string {
  return `stop ${cluster}`;
}

export function clusterSetupJobName(cluster: string): string {
  return `setup ${cluster}`;
}

export function clusterPauseJobName(cluster: string): string {
  return `pause ${cluster}`;
}

export function clusterResumeJobName(cluster: string): string {
  return `resume ${cluster}`;
}

export function nodeResumeJobName(cluster: string, node: string): string {
  return `resume ${cluster}/${node}`;
}

export function clusterUpdateJobName(cluster: string): string {
  return `update ${cluster}`;
}

/** A resize's coordinator or shrink job: `resize demo +3 compute gen 4`, `resize demo -compute003 gen 5`. */
export function resizeJobName(cluster: string, summary: string, generation: number): string {
  return `resize ${cluster} ${summary} gen ${generation}`;
}

/** `gc` terminates; `gc (dry run)` only lists; the schedule's jobs say so. */
export function fleetGcJobName({ dryRun, scheduled }: { dryRun: boolean; scheduled: boolean }): string {
  return `gc${scheduled ? ' (scheduled)' : ''}${dryRun ? ' (dry run)' : ''}`;
}
