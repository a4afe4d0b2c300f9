import { EXIT_CODES, ElastiqError } from './elastiq-error';

export class ClusterExists extends ElastiqError {
  readonly clusterName: string;

  constructor(clusterName: string, options: { hint?: string } = {}) {
    super(`a cluster named \`${clusterName}\` already exists`, {
      hint: options.hint ?? `choose another name with --name, or stop \`${clusterName}\` first`,
      exitCode: EXIT_CODES.cantCreate,
    });
    this.clusterName = clusterName;
  }
}
