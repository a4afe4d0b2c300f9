// Deterministic job ids: adding the same job twice (a CLI retried, a coordinator promoted by two
// node jobs at once) is a no-op while the first is retained. BullMQ refuses ':' in custom ids, so
// the parts are joined with '/' and each part is URI-encoded (a cluster name may contain '/').

function joinId(...parts: (string | number)[]): string {
  return parts.map((part) => encodeURIComponent(String(part))).join('/');
}

export function nodeStartJobId(cluster: string, generation: number, node: string): string {
  return joinId('start', cluster, generation, node);
}

export function probeWatchJobId(cluster: string, generation: number): string {
  return joinId('watch', cluster, generation);
}

export function nodeProbeJobId(cluster: string, generation: number, node: string): string {
  return joinId('probe', cluster, generation, node);
}

export function nodeStopJobId(cluster: string, generation: number, node: string): string {
  return joinId('stop-node', cluster, generation, node);
}

export function coordinatorJobId(cluster: string, generation: number): string {
  return joinId('coordinate', cluster, generation);
}

/** A stop of a generation; a later stop of the same cluster is a new job once this one is removed. */
export function clusterStopJobId(cluster: string, generation: number): string {
  return joinId('stop', cluster, generation);
}

/** The termination of the nodes a resize removes (`resize -r`, `remove-node`): one per generation. */
export function clusterShrinkJobId(cluster: string, generation: number): string {
  return joinId('shrink', cluster, generation);
}

export function clusterSetupJobId(cluster: string, generation: number): string {
  return joinId('setup', cluster, generation);
}

/** Every pause of a cluster has its own epoch (the record's pauseEpoch): pause and its resume share it. */
export function clusterPauseJobId(cluster: string, generation: number, epoch: number): string {
  return joinId('pause', cluster, generation, epoch);
}

export function clusterResumeJobId(cluster: string, generation: number, epoch: number): string {
  return joinId('resume', cluster, generation, epoch);
}

export function nodeResumeJobId(cluster: string, generation: number, epoch: number, node: string): string {
  return joinId('resume-node', cluster, generation, epoch, node);
}

/** One update of a cluster at a time: a second `elastiq update` waits for the same listing. */
export function clusterUpdateJobId(cluster: string): string {
  return joinId('update', cluster);
}
