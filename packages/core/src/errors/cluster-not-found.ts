import { EXIT_CODES, ElastiqError } from './elastiq-error';

export class ClusterNotFound extends ElastiqError {
  readonly clusterName: string;

  constructor(clusterName: string, options: { hint?: string } = {}) {
    super(`cluster \`${clusterName}\` not found`, {
      hint: options.hint ?? 'run `elastiq list` to see the clusters that exist',
      exitCode: EXIT_CODES.noInput,
    });
    this.clusterName = clusterName;
  }
}
