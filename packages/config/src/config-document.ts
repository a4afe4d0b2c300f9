// The merged, not yet interpreted content of every configuration file: what ConfigParser holds
// after reading all files (sections merged, later keys win), plus where each value came from so
// that every later error can name its file.

export interface ConfigEntry {
  value: string;
  file: string;
  line: number;
  /** INI values go through `%` interpolation; YAML values do not (YAML has no such syntax). */
  interpolate: boolean;
  /** Copied into the section from `[DEFAULT]`. */
  fromDefault?: boolean;
}

export type SectionEntries = Map<string, ConfigEntry>;

export interface ConfigDocument {
  defaults: SectionEntries;
  /** Section header (e.g. `cluster/slurm/compute`) → keys; Map order = first appearance. */
  sections: Map<string, SectionEntries>;
}

export function emptyDocument(): ConfigDocument {
  return { defaults: new Map(), sections: new Map() };
}

/** The section, created in order of first appearance, as ConfigParser does for a repeated header. */
export function sectionOf(document: ConfigDocument, header: string): SectionEntries {
  let section = document.sections.get(header);
  if (!section) {
    section = new Map();
    document.sections.set(header, section);
  }
  return section;
}

