import { ElastiqError, type ElastiqErrorOptions } from './elastiq-error';

/**
 * The setup step (Ansible or script) failed. Unlike ElastiCluster, which exits 0 after a failed
 * setup (notes §2.1), this is an error with a failing exit code.
 */
export class SetupError extends ElastiqError {
  /** Nodes that did not report success, when known. */
  readonly failedNodes: string[];

  constructor(message: string, options: Omit<ElastiqErrorOptions, 'exitCode'> & { failedNodes?: string[] } = {}) {
    super(message, { hint: options.hint ?? 'fix the cause, then run `elastiq setup <cluster>` again', cause: options.cause });
    this.failedNodes = options.failedNodes ?? [];
  }
}
