import { randomUUID } from 'node:crypto';
import {
  type CloudInstance,
  type CloudProvider,
  clientTokenFor,
  TAG_BATCH,
  TAG_CLUSTER,
  TAG_GENERATION,
  TAG_INSTALLATION,
  TAG_KIND,
} from '@elastiq/cloud';
import { CloudError, type ClusterDict, type LaunchOffering, launchOfferingsOf, marketOf, type NodeDict, offeringLabel, spotPriceOf } from '@elastiq/core';
import { generationOf, nodesOfGeneration, updateRecord } from '@elastiq/queue';
import { GenerationState, findNode } from './generation-state';
import { kindName, namesPerNode } from './name-tagger';
import { installationIdFor } from './installation';
import { LaunchBatchStore, type StoredLaunchRequest } from './launch-batch-store';
import { OfferingChoices } from './offering-choice';
import { prepareGeneration } from './prepare-generation';
import type { WorkerDependencies } from './worker-dependencies';

// Node-start jobs are per node; RunInstances is not (one call launches up to 1000 instances and
// the API allows ~2 calls/s). A worker holds many node-start jobs at once (concurrency), so it
// gathers them for a few tens of ms and issues one call per (cluster, generation, kind, launch
// parameters). See launch-batch-store.ts for how this survives a crash at any line.

/** The RunInstances call a node took part in: its job's log shows it, so a launch can be traced to the cloud's records. */
export interface LaunchCall {
  batchId: string;
  clientToken: string;
  maxCount: number;
  /** The node's place among the batch members = the AmiLaunchIndex of its instance. */
  launchIndex: number;
}

export type LaunchOutcome =
  | { kind: 'launched'; instanceId: string; call: LaunchCall | null }
  /**
   * retry: waiting can help (capacity); otherwise the node has failed (quota, bad configuration).
   * code: the cloud's error code when the cloud refused; call: absent when no call was made.
   */
  | { kind: 'not-launched'; retry: boolean; reason: string; code?: string; call?: LaunchCall };

interface Member {
  node: NodeDict;
  resolve(outcome: LaunchOutcome): void;
  reject(error: unknown): void;
}

interface Group {
  cluster: ClusterDict;
  /** Set when the members re-issue an existing batch (same token). */
  batchId: string | null;
  /** Where a new batch launches (a re-issued batch keeps its stored one). */
  offering: LaunchOffering | null;
  members: Member[];
}

const CAPACITY_CODES = new Set(['InsufficientInstanceCapacity', 'InsufficientHostCapacity', 'InsufficientCapacity']);
/** Spot refusals that say nothing of the offering's capacity: this kind's price, the account's spot quota. */
const SPOT_REFUSALS = new Set(['SpotMaxPriceTooLow', 'MaxSpotInstanceCountExceeded']);

export class LaunchCoalescer {
  private readonly groups = new Map<string, Group>();
  private readonly offerings: OfferingChoices;
  /** Calls of this process in flight, by batch: a member retried meanwhile waits instead of calling again. */
  private readonly calling = new Map<string, Promise<void>>();

  constructor(private readonly deps: WorkerDependencies) {
    this.offerings = new OfferingChoices(deps.redis, deps.prefix, deps.tuning.unavailableOfferingTtlMs);
  }

  async launch(cluster: ClusterDict, node: NodeDict): Promise<LaunchOutcome> {
    // The node's own generation: a resize launches a generation next to the ones already running.
    const state = new GenerationState(this.deps.redis, this.deps.prefix, cluster.name, generationOf(cluster, node));
    const batches = new LaunchBatchStore(this.deps.redis, state);
    const known = await state.instanceOf(node.name);
    const batchId = await batches.batchOf(node.name);
    if (known !== null) return { kind: 'launched', instanceId: known, call: await recordedCall(batches, batchId, node.name) };
    let offering: LaunchOffering | null = null;
    if (batchId === null) {
      const choice = await this.offerings.choose(state, cluster, node);
      if ('exhausted' in choice) {
        // Failover ran out of places: waiting for the deadline would only delay the same answer.
        const reason = `no offering of kind '${node.kind}' could launch it: ${choice.tried.join('; ')}`;
        return { kind: 'not-launched', retry: false, reason, code: 'InsufficientInstanceCapacity' };
      }
      offering = choice.offering;
    }
    return new Promise<LaunchOutcome>((resolve, reject) => {
      const key =
        offering !== null
          ? `new|${cluster.name}|${state.generation}|${node.kind}|${launchParametersKey(node)}|${JSON.stringify(offering)}`
          : `reissue|${batchId}`;
      let group = this.groups.get(key);
      if (group === undefined) {
        group = { cluster, batchId, offering, members: [] };
        this.groups.set(key, group);
        setTimeout(() => {
          this.groups.delete(key);
          void this.flush(group as Group, state, batches);
        }, batchId === null ? this.deps.tuning.launchCoalesceMs : 0);
      }
      group.members.push({ node, resolve, reject });
    });
  }

  private async flush(group: Group, state: GenerationState, batches: LaunchBatchStore): Promise<void> {
    try {
      if (group.batchId === null) await this.launchNewBatch(group, state, batches);
      else await this.reissueBatch(group.batchId, group, state, batches);
    } catch (error) {
      for (const member of group.members) member.reject(error);
    }
  }

  private async launchNewBatch(group: Group, state: GenerationState, batches: LaunchBatchStore): Promise<void> {
    const { cluster } = group;
    const cloud = this.deps.cloudFor(cluster);
    const first = group.members[0].node;
    try {
      await prepareGeneration(this.deps, state, cluster, cloud);
    } catch (error) {
      if (error instanceof CloudError && !error.retryable) {
        for (const member of group.members) member.resolve({ kind: 'not-launched', retry: false, reason: error.message, code: error.code });
        return;
      }
      throw error;
    }
    // A new batch id per (batch, offering): its ClientToken is new, so a failover never meets
    // IdempotentParameterMismatch, and a re-issue of this batch keeps this offering.
    const offering = group.offering as LaunchOffering;
    // Another batch may have found this offering empty while these members gathered: nothing is
    // claimed yet, so they can still go straight to the next one instead of asking again.
    const now = await this.offerings.choose(state, cluster, first);
    if (!('offering' in now && now.label === offeringLabel(offering))) {
      for (const member of group.members) this.launch(cluster, member.node).then(member.resolve, member.reject);
      return;
    }
    const batchId = `${first.kind}-${randomUUID().slice(0, 13)}`;
    const request: StoredLaunchRequest = {
      clientToken: clientTokenFor(cluster.name, state.generation, batchId),
      imageId: first.imageId,
      flavor: offering.flavor,
      keyName: first.userKeyName,
      securityGroup: first.securityGroup,
      ...(offering.subnetId ? { subnetId: offering.subnetId } : {}),
      ...(offering.availabilityZone ? { availabilityZone: offering.availabilityZone } : {}),
      ...(offering.spot ? { spot: offering.spot } : {}),
      tags: {
        [TAG_CLUSTER]: cluster.name,
        [TAG_GENERATION]: String(state.generation),
        [TAG_KIND]: first.kind,
        [TAG_BATCH]: batchId,
        [TAG_INSTALLATION]: await installationIdFor(this.deps.redis, this.deps.prefix, cluster.cloud ?? undefined),
        ...(namesPerNode(this.deps.tuning, nodesOfGeneration(cluster, state.generation).length) ? {} : { Name: kindName(cluster.name, first.kind) }),
      },
    };
    const claimed = await batches.claim(batchId, request, group.members.map((member) => member.node.name));
    const claimedSet = new Set(claimed);
    // Nodes already in a batch (a duplicate job raced us) re-issue theirs through launch().
    for (const member of group.members.filter((m) => !claimedSet.has(m.node.name))) {
      this.launch(cluster, member.node).then(member.resolve, member.reject);
    }
    const members = group.members.filter((m) => claimedSet.has(m.node.name));
    if (members.length === 0) return;
    await this.call(cloud, batchId, claimed, request, first, members, state, batches, cluster);
  }

  private async reissueBatch(batchId: string, group: Group, state: GenerationState, batches: LaunchBatchStore): Promise<void> {
    const batch = await batches.read(batchId);
    if (batch === null || batch.status === 'resolved') {
      // Resolved meanwhile: the members either have their instance or are free for a new batch.
      for (const member of group.members) this.launch(group.cluster, member.node).then(member.resolve, member.reject);
      return;
    }
    const inFlight = this.calling.get(batchId);
    if (inFlight !== undefined) {
      // Under throttling every retried member would re-issue the same batch on its own; one call
      // answers them all (its failure is theirs too: their jobs retry with backoff).
      const failure = await inFlight.then(() => null, (error: unknown) => ({ error }));
      for (const member of group.members) {
        if (failure !== null) member.reject(failure.error);
        else this.launch(group.cluster, member.node).then(member.resolve, member.reject);
      }
      return;
    }
    const template = findNode(group.cluster, batch.members[0]) ?? group.members[0].node;
    await this.call(this.deps.cloudFor(group.cluster), batchId, batch.members, batch.request, template, group.members, state, batches, group.cluster);
  }

  private call(...args: Parameters<LaunchCoalescer['callOnce']>): Promise<void> {
    const batchId = args[1];
    const calling = this.callOnce(...args);
    this.calling.set(batchId, calling);
    const forget = () => {
      if (this.calling.get(batchId) === calling) this.calling.delete(batchId);
    };
    calling.then(forget, forget);
    return calling;
  }

  private async callOnce(
    cloud: CloudProvider,
    batchId: string,
    memberNames: string[],
    request: StoredLaunchRequest,
    template: NodeDict,
    waiting: Member[],
    state: GenerationState,
    batches: LaunchBatchStore,
    cluster: ClusterDict,
  ): Promise<void> {
    const log = this.deps.log.child({ cluster: cluster.name, generation: state.generation, batchId });
    const offering = offeringLabel(request);
    const offerings = launchOfferingsOf(template, cluster.availabilityZone);
    const failover = offerings.length > 1;
    const spotKind = spotPriceOf(template) !== null;
    let instances: CloudInstance[];
    let unlaunched: { retry: boolean; reason: string; code?: string } = {
      retry: true,
      reason: `partial launch: ${offering} had no capacity for this node`,
      code: 'InsufficientInstanceCapacity',
    };
    try {
      log.info({ members: memberNames.length, token: request.clientToken }, 'RunInstances');
      instances = await cloud.launch({
        ...request,
        ...(template.imageUserdata ? { userData: template.imageUserdata } : {}),
        minCount: 1,
        maxCount: memberNames.length,
      });
    } catch (error) {
      if (!(error instanceof CloudError)) throw error;
      // Throttling, 5xx, network: the call may or may not have happened; the batch stays open and
      // the job's retry re-issues it with the same token.
      if (error.retryable && !CAPACITY_CODES.has(error.code)) throw error;
      if (error.code === 'IdempotentParameterMismatch') throw error;
      log.warn({ code: error.code }, 'launch refused');
      instances = [];
      // A spot refusal of a kind that has somewhere else to go moves it on, like missing capacity.
      const spotRefused = request.spot !== undefined && SPOT_REFUSALS.has(error.code) && failover;
      unlaunched = { retry: CAPACITY_CODES.has(error.code) || spotRefused, reason: error.message, code: error.code };
      if (spotRefused) {
        // The spot quota refuses every spot offering of the kind; a price refuses this one.
        const refused = error.code === 'MaxSpotInstanceCountExceeded' ? offerings.filter((candidate) => candidate.spot).map(offeringLabel) : [offering];
        await this.offerings.markRefused(state, template.kind, refused, error.code);
      }
    }
    const shortOfCapacity = instances.length < memberNames.length && unlaunched.retry;
    if (shortOfCapacity && (unlaunched.code === undefined || !SPOT_REFUSALS.has(unlaunched.code))) {
      const answer = instances.length === 0 ? (unlaunched.code ?? 'InsufficientInstanceCapacity') : `InsufficientInstanceCapacity (partial: ${instances.length} of ${memberNames.length})`;
      await this.offerings.markUnavailable(state, cluster, template.kind, offering, answer, unlaunched.reason);
    }
    const launched = await batches.resolve(batchId, memberNames, instances, unlaunched.reason);
    log.info({ launched: launched.size, of: memberNames.length }, 'launch batch resolved');
    await this.standDownIfDecided(state, cloud, launched);
    if (launched.size > 0) {
      await updateRecord(this.deps.repository, cluster.name, (record) => {
        if (record.generation !== state.generation) return null;
        for (const node of Object.values(record.nodes).flat()) {
          const instanceId = launched.get(node.name);
          if (instanceId !== undefined && generationOf(record, node) === state.generation && (node.state === 'new' || node.state === 'launching')) {
            node.instanceId = instanceId;
            node.state = 'pending';
            // Where failover put it (list-nodes shows it); a one-offering kind is where it always was.
            if (failover) node.extra = { ...node.extra, offering };
            // A spot kind's nodes say which market they run on (a fallback makes it on-demand).
            if (spotKind) node.extra = { ...node.extra, market: marketOf(request) };
          }
        }
        return record;
      });
    }
    for (const member of waiting) {
      const instanceId = launched.get(member.node.name);
      const call: LaunchCall = { batchId, clientToken: request.clientToken, maxCount: memberNames.length, launchIndex: memberNames.indexOf(member.node.name) };
      if (instanceId === undefined && shortOfCapacity && failover) {
        // Failover: at once, same generation, into a new batch on the next offering.
        log.info({ node: member.node.name, offering }, 'failing over to the next offering');
        this.launch(cluster, member.node).then(member.resolve, member.reject);
        continue;
      }
      member.resolve(instanceId === undefined ? { kind: 'not-launched', ...unlaunched, call } : { kind: 'launched', instanceId, call });
    }
  }

  /** A launch that finished after the start was decided (rolled back, stopped, node dropped) is undone at once. */
  private async standDownIfDecided(state: GenerationState, cloud: CloudProvider, launched: Map<string, string>): Promise<void> {
    const decision = await state.decision();
    if (decision === null) return;
    const keep = new Set(decision.decision === 'ready' || decision.decision === 'degraded' ? decision.keep : []);
    const late = [...launched].filter(([node]) => !keep.has(node)).map(([, instanceId]) => instanceId);
    if (late.length > 0) {
      this.deps.log.warn({ cluster: state.cluster, instances: late }, 'terminating instances launched after the decision');
      await cloud.terminate(late);
    }
  }
}

/** The call that launched a node whose instance is already known (a retried or duplicate job). */
async function recordedCall(batches: LaunchBatchStore, batchId: string | null, node: string): Promise<LaunchCall | null> {
  const batch = batchId === null ? null : await batches.read(batchId);
  if (batchId === null || batch === null) return null;
  return { batchId, clientToken: batch.request.clientToken, maxCount: batch.members.length, launchIndex: batch.members.indexOf(node) };
}

/** Nodes coalesce only when their RunInstances parameters are identical (the offering is keyed beside). */
function launchParametersKey(node: NodeDict): string {
  return JSON.stringify([node.imageId, node.userKeyName, node.securityGroup, node.imageUserdata]);
}
