import { oneLine } from '../one-line';
import { EXIT_CODES, ElastiqError } from './elastiq-error';

export interface ConfigurationErrorOptions {
  /** The configuration file the problem is in. */
  file?: string;
  /** e.g. "cluster/slurm". */
  section?: string;
  key?: string;
  hint?: string;
  cause?: unknown;
}

/** A mistake in a configuration file or CLI argument; the message says where it is. */
export class ConfigurationError extends ElastiqError {
  readonly file: string | undefined;
  readonly section: string | undefined;
  readonly key: string | undefined;
  /** The problem without the location prefix. */
  readonly problem: string;

  constructor(problem: string, options: ConfigurationErrorOptions = {}) {
    // One line whatever the problem quotes: a multi-line INI value, binary bytes.
    super(oneLine(formatLocation(options) + problem), { hint: options.hint, cause: options.cause, exitCode: EXIT_CODES.config });
    this.file = options.file;
    this.section = options.section;
    this.key = options.key;
    this.problem = oneLine(problem);
  }
}

/** "file.conf: [cluster/slurm] compute_nodes: " — as precise as what is known. */
function formatLocation({ file, section, key }: ConfigurationErrorOptions): string {
  const parts = [file, section === undefined ? undefined : `[${section}]`, key].filter(
    (part): part is string => part !== undefined && part !== '',
  );
  return parts.length === 0 ? '' : `${parts.join(' ')}: `;
}
