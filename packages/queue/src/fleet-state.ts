import { HostKeySchema } from '@elastiq/core';
import { z } from 'zod';

// Shapes of the coordination state kept in Redis (see fleet-keys.ts). Parsed on every read:
// this is a boundary between processes of possibly different versions.

export const NodeResultSchema = z.object({
  outcome: z.enum(['up', 'down', 'failed']),
  reason: z.string().nullable().default(null),
  /** Epoch ms when the node job reported. */
  at: z.number(),
  /** What the probe learnt about an up node: the coordinator writes it into the record in one save. */
  ips: z.array(z.string()).default([]),
  preferredIp: z.string().nullable().default(null),
  hostKey: HostKeySchema.nullable().default(null),
});
export type NodeResult = z.infer<typeof NodeResultSchema>;

export const FLEET_DECISIONS = ['ready', 'degraded', 'failed', 'stopped'] as const;
export type FleetDecision = (typeof FLEET_DECISIONS)[number];

export const StoredDecisionSchema = z.object({
  decision: z.enum(FLEET_DECISIONS),
  decidedAt: z.number(),
  /** Nodes that stay in the cluster. */
  keep: z.array(z.string()),
  /** Nodes to terminate and remove from the record. */
  drop: z.array(z.string()),
  /** node → why it is not up (or why the cluster failed). */
  reasons: z.record(z.string(), z.string()),
  summary: z.string(),
});
export type StoredDecision = z.infer<typeof StoredDecisionSchema>;

export function parseStoredDecision(raw: string | null): StoredDecision | null {
  return raw === null ? null : StoredDecisionSchema.parse(JSON.parse(raw));
}

export function parseNodeResults(raw: Record<string, string>): Record<string, NodeResult> {
  const results: Record<string, NodeResult> = {};
  for (const [node, json] of Object.entries(raw)) results[node] = NodeResultSchema.parse(JSON.parse(json));
  return results;
}

/** A resume's decision: which nodes came back, which did not and why (stored once, SET NX). */
export const StoredResumeDecisionSchema = z.object({
  decidedAt: z.number(),
  back: z.array(z.string()),
  notBack: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type StoredResumeDecision = z.infer<typeof StoredResumeDecisionSchema>;

export function parseStoredResumeDecision(raw: string | null): StoredResumeDecision | null {
  return raw === null ? null : StoredResumeDecisionSchema.parse(JSON.parse(raw));
}
