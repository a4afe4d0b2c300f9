import { EXIT_CODES, ElastiqError } from './elastiq-error';

export interface NodeNotFoundOptions {
  clusterName?: string;
  /** The name (or kind) that was looked for, if any. */
  nodeName?: string;
  hint?: string;
}

export class NodeNotFound extends ElastiqError {
  readonly clusterName: string | undefined;
  readonly nodeName: string | undefined;

  constructor(message: string, options: NodeNotFoundOptions = {}) {
    super(message, {
      hint: options.hint ?? 'run `elastiq list-nodes <cluster>` to see the nodes that exist',
      exitCode: EXIT_CODES.noInput,
    });
    this.clusterName = options.clusterName;
    this.nodeName = options.nodeName;
  }
}
