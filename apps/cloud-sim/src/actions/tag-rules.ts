import { Ec2Error } from '../api/ec2-error';

/** EC2 reserves the `aws:` prefix and allows 50 user tags per resource. */
export const MAX_TAGS_PER_RESOURCE = 50;

export function assertUserTagKeys(keys: readonly string[]): void {
  const reserved = keys.find((key) => key.toLowerCase().startsWith('aws:'));
  if (reserved !== undefined) {
    throw new Ec2Error('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use (${reserved}).`);
  }
}
