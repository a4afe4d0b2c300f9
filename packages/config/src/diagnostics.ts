import { oneLine } from '@elastiq/core';
import { type ConfigLocation, formatLocation } from './configuration-error';

export interface ConfigWarning {
  file?: string;
  section?: string;
  key?: string;
  message: string;
}

/** A section left out of the configuration, and why: never silent (ElastiCluster only logs it). */
export interface DroppedSection {
  file?: string;
  section: string;
  key?: string;
  reason: string;
}

/** Thrown while validating one section: the section is dropped, the load goes on. */
export class SectionDrop extends Error {
  constructor(
    readonly location: ConfigLocation,
    readonly reason: string,
  ) {
    super(oneLine(`${formatLocation(location)}${reason}`));
    this.name = 'SectionDrop';
  }
}

export class Diagnostics {
  readonly warnings: ConfigWarning[] = [];
  readonly dropped: DroppedSection[] = [];

  warn(location: ConfigLocation, message: string): void {
    this.warnings.push(compact({ file: location.file, section: location.section, key: location.key, message: oneLine(message) }));
  }

  drop(section: string, problem: SectionDrop): void {
    const { file, key } = problem.location;
    const reason = oneLine(`${key ? `${key} ` : ''}${problem.reason}`);
    this.dropped.push(compact({ file, section, key, reason }));
    this.warnings.push(compact({ file, section, key, message: `section dropped: ${reason}` }));
  }

  dropReason(section: string): DroppedSection | undefined {
    return this.dropped.find((dropped) => dropped.section === section);
  }
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
