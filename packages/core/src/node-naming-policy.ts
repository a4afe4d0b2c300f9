import { ElastiqError } from './errors';
import { formatNamePattern, type NameArgs } from './name-pattern';

/** The parts recovered from a node name: `compute007` → { kind: 'compute', index: 7 }. */
export interface ParsedNodeName {
  kind: string;
  index: number;
}

// The index is the trailing digits, so a kind must not end in a digit (ElastiCluster's regex).
const NODE_NAME = /^([a-z0-9-]*[a-z-]+)(\d+)$/i;

export const DEFAULT_NODE_NAME_PATTERN = '{kind}{index:03d}';

/**
 * Hands out node names whose indices stay as close as possible to the range 1..n per kind: a
 * new name takes the smallest index not in use, so freed names and holes are reused before the
 * range grows ("what happened to compute003?" is a support question ElastiCluster meant to avoid).
 *
 * ElastiCluster keeps a `top` counter and a set of free indices; keeping the set of used indices
 * instead gives the same names, cannot hand out a duplicate after the top name is freed, and
 * costs no memory when a hand-edited record holds `compute1000000`.
 */
export class NodeNamingPolicy {
  readonly pattern: string;
  private readonly usedByKind = new Map<string, Set<number>>();
  /** Per kind, no index below this one is free: keeps sequential new() calls O(1). */
  private readonly lowestFreeCandidate = new Map<string, number>();

  constructor(pattern: string = DEFAULT_NODE_NAME_PATTERN) {
    this.pattern = pattern;
  }

  /** Forms a node name by interpolating args into pattern (the inverse of parse()). */
  static format(pattern: string, args: NameArgs): string {
    return formatNamePattern(pattern, args);
  }

  /** Recovers kind and index from a name; throws when the name does not end in digits after a kind. */
  static parse(name: string): ParsedNodeName {
    const match = NODE_NAME.exec(name);
    if (!match) {
      throw new ElastiqError(`cannot parse node name \`${name}\`: expected <kind><digits>, e.g. compute001`, {
        hint: 'node names end in their index; the kind before it must not end in a digit',
      });
    }
    return { kind: match[1], index: Number.parseInt(match[2], 10) };
  }

  /**
   * Marks a name as in use. Returns false, and tracks nothing, when the name cannot be parsed
   * (such a name can never collide with a generated one); the caller may warn.
   */
  use(kind: string, name: string): boolean {
    const index = NodeNamingPolicy.tryParseIndex(name);
    if (index === null) return false;
    this.usedIndices(kind).add(index);
    return true;
  }

  /** Marks a name as no longer in use, so new() can hand it out again. Returns false for an unparsable name. */
  free(kind: string, name: string): boolean {
    const index = NodeNamingPolicy.tryParseIndex(name);
    if (index === null) return false;
    this.usedIndices(kind).delete(index);
    if (index < this.lowestCandidate(kind)) this.lowestFreeCandidate.set(kind, Math.max(index, 1));
    return true;
  }

  /**
   * A name for a new node of `kind`, marked as used. The pattern sees `kind`, `index` (the
   * smallest free positive index of that kind) and every key of `extra`.
   */
  new(kind: string, extra: NameArgs = {}): string {
    for (const reserved of ['kind', 'index']) {
      if (Object.hasOwn(extra, reserved)) {
        throw new ElastiqError(`NodeNamingPolicy.new(): \`${reserved}\` is set by the policy and cannot be passed in extra`);
      }
    }
    const used = this.usedIndices(kind);
    let index = this.lowestCandidate(kind);
    while (used.has(index)) index += 1;
    const name = NodeNamingPolicy.format(this.pattern, { ...extra, kind, index });
    used.add(index);
    this.lowestFreeCandidate.set(kind, index + 1);
    return name;
  }

  private static tryParseIndex(name: string): number | null {
    const match = NODE_NAME.exec(name);
    return match ? Number.parseInt(match[2], 10) : null;
  }

  private usedIndices(kind: string): Set<number> {
    let used = this.usedByKind.get(kind);
    if (!used) {
      used = new Set();
      this.usedByKind.set(kind, used);
    }
    return used;
  }

  private lowestCandidate(kind: string): number {
    return this.lowestFreeCandidate.get(kind) ?? 1;
  }
}
