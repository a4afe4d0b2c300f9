import {
  DescribeImagesCommand,
  DescribeInstanceTypesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import { CloudError } from '@elastiq/core';
import { errorFromAws } from './error-from-aws';
import type { CheckLaunchRequest } from './provider';

/** One existence check: true when the thing exists; NotFound-like error codes mean it does not. */
async function exists(action: string, notFoundCodes: RegExp, call: () => Promise<number>): Promise<boolean> {
  try {
    return (await call()) > 0;
  } catch (error) {
    const cloudError = errorFromAws(error, action);
    if (notFoundCodes.test(cloudError.code)) return false;
    throw cloudError;
  }
}

const distinct = (values: readonly string[]) => [...new Set(values)];

/**
 * Fails fast, before anything is launched, with one message listing every missing image, flavor,
 * security group and key pair, each with the config key to fix (ElastiCluster found these one
 * at a time, after VMs were already running).
 */
export async function checkLaunchParameters(client: EC2Client, region: string, request: CheckLaunchRequest): Promise<void> {
  const checks: Promise<string | null>[] = [
    ...distinct(request.imageIds).map(async (imageId) =>
      (await exists('DescribeImages', /^InvalidAMIID\./, async () => (await client.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.length ?? 0))
        ? null
        : `image_id \`${imageId}\` is not an image available in region ${region}`,
    ),
    ...distinct(request.flavors).map(async (flavor) =>
      (await exists(
        'DescribeInstanceTypes',
        /^(InvalidInstanceType|InvalidParameterValue)$/,
        async () => (await client.send(new DescribeInstanceTypesCommand({ InstanceTypes: [flavor as _InstanceType] }))).InstanceTypes?.length ?? 0,
      ))
        ? null
        : `flavor \`${flavor}\` is not an instance type offered in region ${region}`,
    ),
    ...distinct(request.securityGroups).map(async (group) =>
      (await exists('DescribeSecurityGroups', /^(InvalidGroup\.NotFound|InvalidGroupId\.Malformed)$/, async () => {
        const input = group.startsWith('sg-') ? { GroupIds: [group] } : { Filters: [{ Name: 'group-name', Values: [group] }] };
        return (await client.send(new DescribeSecurityGroupsCommand(input))).SecurityGroups?.length ?? 0;
      }))
        ? null
        : `security_group \`${group}\` does not exist in region ${region}`,
    ),
    (async () =>
      (await exists(
        'DescribeKeyPairs',
        /^InvalidKeyPair\.NotFound$/,
        async () => (await client.send(new DescribeKeyPairsCommand({ KeyNames: [request.keyName] }))).KeyPairs?.length ?? 0,
      ))
        ? null
        : `user_key_name \`${request.keyName}\` is not a key pair in region ${region}`)(),
  ];
  const problems = (await Promise.all(checks)).filter((problem): problem is string => problem !== null);
  if (problems.length === 0) return;
  throw new CloudError('InvalidLaunchParameters', `cannot launch: ${problems.join('; ')}`, {
    retryable: false,
    hint: 'fix these keys in the cluster configuration; nothing was launched',
  });
}
