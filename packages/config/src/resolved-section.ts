import type { ConfigLocation } from './configuration-error';

export interface ResolvedEntry {
  value: string;
  file: string;
  line: number;
  fromDefault: boolean;
}

export type SectionType = 'cloud' | 'login' | 'setup' | 'cluster' | 'kind';

/** One section after `[DEFAULT]` merging, `%` interpolation and `$VAR` expansion. */
export class ResolvedSection {
  constructor(
    readonly header: string,
    readonly type: SectionType,
    readonly name: string,
    readonly entries: Map<string, ResolvedEntry>,
    /** The file of the section's first own key: where to point when no key is to blame. */
    readonly file: string,
    readonly kind?: string,
  ) {}

  value(key: string): string | undefined {
    return this.entries.get(key)?.value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  locate(key?: string): ConfigLocation {
    const entry = key === undefined ? undefined : this.entries.get(key);
    return { file: entry?.file ?? this.file, section: this.header, key, line: entry?.line || undefined };
  }

  /** The keys as a plain object, for zod. */
  record(): Record<string, string> {
    return Object.fromEntries([...this.entries].map(([key, entry]) => [key, entry.value]));
  }

  rename(oldKey: string, newKey: string): void {
    const entry = this.entries.get(oldKey);
    if (!entry) return;
    this.entries.delete(oldKey);
    if (!this.entries.has(newKey)) this.entries.set(newKey, entry);
  }
}
