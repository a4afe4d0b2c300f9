import { TAG_NODE } from '@elastiq/cloud';
import type { ClusterDict } from '@elastiq/core';
import type { FleetTuning } from './fleet-tuning';
import { GenerationState } from './generation-state';
import type { WorkerDependencies } from './worker-dependencies';

// ElastiCluster names each VM `<cluster>-<node>` and users look for that Name in the console.
// EC2 tag values are per call, so that is one CreateTags per node, and the CreateTags bucket
// (100 burst, 10/s, shared by the fleet) makes the last of 1000 nodes wait ~90 s for a token
// (measured on the fleet's Redis bucket: p50 40 s, p90 80 s, max 90 s). A node's readiness must
// not wait for its name: node-start records the name as pending and hands it to its process's
// tagger; the coordinator names what is still pending once it has acted on the decision (the
// worker died, or the tag kept failing). Best effort: a name that cannot be set is logged.
//
// Beyond perNodeNamesUpTo nodes (1,000) in one start or resize, one call per node is the wrong
// price: 10,000 nodes are 10,000 CreateTags, 1,000 s of the account's bucket on AWS, starving
// every other tagger of the account meanwhile. Such a start names its instances per kind
// (`<cluster>-<kind>`, as AWS ParallelCluster does) in RunInstances' own tags: no call at all.
// The node's own name stays in the record (`elastiq list-nodes` maps instance ids to nodes).

/** Whether a start or resize of `generationSize` nodes names its instances one by one. */
export function namesPerNode(tuning: Pick<FleetTuning, 'perNodeNamesUpTo'>, generationSize: number): boolean {
  return generationSize <= tuning.perNodeNamesUpTo;
}

/** The Name every instance of a kind gets at launch when names are not per node. */
export function kindName(cluster: string, kind: string): string {
  return `${cluster}-${kind}`;
}

interface PendingName {
  cluster: ClusterDict;
  node: string;
  instanceId: string;
}

const ATTEMPTS = 3;
const RETRY_DELAY_MS = 1000;

export class NameTagger {
  private readonly backlog: PendingName[] = [];
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: WorkerDependencies) {}

  /** Records the node's name as pending and sets it in the background: never waits for the cloud. */
  async request(cluster: ClusterDict, node: string, instanceId: string): Promise<void> {
    await this.deps.redis.hset(this.state(cluster).keys.pendingNames, node, instanceId);
    if (this.closed) return;
    this.backlog.push({ cluster, node, instanceId });
    this.running ??= this.work()
      .catch((error: unknown) => this.deps.log.warn({ err: String(error) }, 'name tagging stopped; pending names are left to the coordinator'))
      .finally(() => {
        this.running = null;
      });
  }

  /** Sets the names still pending for the kept nodes of a start (the coordinator, after acting). Returns how many it set. */
  async drain(cluster: ClusterDict, keep: string[]): Promise<number> {
    const pending = await this.deps.redis.hgetall(this.state(cluster).keys.pendingNames);
    let named = 0;
    for (const node of keep) {
      const instanceId = pending[node];
      if (instanceId !== undefined && (await this.tagClaimed({ cluster, node, instanceId }))) named += 1;
    }
    return named;
  }

  /** Stops after the tag in flight (waiting at most timeoutMs); the rest stays pending in Redis. */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    this.backlog.length = 0;
    if (this.running === null) return;
    await Promise.race([this.running, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  private async work(): Promise<void> {
    for (let item = this.backlog.shift(); item !== undefined && !this.closed; item = this.backlog.shift()) await this.tagClaimed(item);
  }

  /** Whoever removes the pending entry sets the name, so two workers never both spend a token on it. */
  private async tagClaimed({ cluster, node, instanceId }: PendingName): Promise<boolean> {
    const state = this.state(cluster);
    if ((await this.deps.redis.hdel(state.keys.pendingNames, node)) === 0) return false;
    const decision = await state.decision();
    if (decision?.decision === 'failed' || decision?.decision === 'stopped') return false; // terminated anyway
    const log = this.deps.log.child({ cluster: cluster.name, node, instanceId });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.cloudFor(cluster).tag([instanceId], { Name: `${cluster.name}-${node}`, [TAG_NODE]: node });
        return true;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (attempt >= ATTEMPTS) {
          log.warn({ err: message, attempts: attempt }, 'could not set the Name tag; the node works without it');
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
      }
    }
  }

  private state(cluster: ClusterDict): GenerationState {
    return new GenerationState(this.deps.redis, this.deps.prefix, cluster.name, cluster.generation);
  }
}
