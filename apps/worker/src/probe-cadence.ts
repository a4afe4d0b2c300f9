/**
 * When to probe a booting node next: fast at first (on a cloud most nodes answer within a burst
 * of seconds of each other), then backing off so that a node that never comes up costs a
 * handful of handshakes, not hundreds. Jitter keeps a 1000-node start from probing in lockstep.
 */
export function nextProbeDelayMs(round: number, firstMs: number, maxMs: number): number {
  const base = Math.min(maxMs, firstMs * 1.5 ** round);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
