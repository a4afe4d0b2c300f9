import { CloudError, oneLine } from '@elastiq/core';

// What waiting can fix (throttling, capacity, the cloud's own hiccups, eventual consistency right
// after a launch) versus what it cannot (quotas, bad configuration, credentials). ec2-facts.md.
const RETRYABLE_CODES = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'InsufficientInstanceCapacity',
  'InsufficientHostCapacity',
  'InsufficientCapacity',
  'InsufficientReservedInstanceCapacity',
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'Unavailable',
  'InvalidInstanceID.NotFound',
  'IncorrectState',
  'TimeoutError',
  'RequestTimeout',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);

const NEVER_RETRYABLE =
  /^(InstanceLimitExceeded|VcpuLimitExceeded|MaxSpotInstanceCountExceeded|IdempotentParameterMismatch|AuthFailure|UnauthorizedOperation|InvalidClientTokenId|SignatureDoesNotMatch|OptInRequired|Blocked|Unsupported|InvalidParameter.*|InvalidAMIID\..*|InvalidKeyPair\..*|InvalidGroup\..*|InvalidInstanceType|SpotMaxPriceTooLow)$/;

const HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^MaxSpotInstanceCountExceeded$/, 'the account\'s spot instance quota is reached: set spot_fallback=on-demand, lower the node counts, or ask for a higher spot limit'],
  [/^UnsupportedOperation$/, 'EC2 cannot do this to these instances (a one-time spot instance cannot be stopped, so a spot cluster cannot be paused): stop it instead'],
  [/^SpotMaxPriceTooLow$/, 'the spot price of this flavor and zone is above the kind\'s price: raise price, or set spot_fallback=on-demand'],
  [/^(InstanceLimitExceeded|VcpuLimitExceeded)$/, 'the account quota is reached: lower the node counts or min_nodes, or ask the cloud provider for a higher limit'],
  [/^InsufficientInstanceCapacity$/, 'the availability zone has no capacity for this flavor right now: it is retried; another flavor or availability_zone may help'],
  [/^RequestLimitExceeded$/, 'the cloud API is throttling this account: the call is retried with backoff'],
  [/^InvalidAMIID\./, 'check image_id: it must name an image that exists in this region'],
  [/^InvalidInstanceType$/, 'check flavor: it must be an instance type offered in this region'],
  [/^InvalidKeyPair\./, 'check user_key_name and user_key_public'],
  [/^InvalidKey\.Format$/, 'EC2 imports RSA and ed25519 public keys only: point user_key_public (and user_key_private) at such a key'],
  [/^InvalidGroup\.|^InvalidSecurityGroupID/, 'check security_group: it must name an existing security group (name or sg- id)'],
  [/^InvalidSubnetID\./, 'check network_ids'],
  [/^(AuthFailure|UnauthorizedOperation|InvalidClientTokenId|SignatureDoesNotMatch|OptInRequired|Blocked)$/, 'check ec2_access_key / ec2_secret_key (or the AWS credential chain) and their permissions'],
  [/^IdempotentParameterMismatch$/, 'a launch batch was re-issued with different parameters: this is an elastiq bug, please report it'],
];

interface AwsLikeError {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function codeOf(error: AwsLikeError): string {
  for (const candidate of [error.Code, error.code, error.name]) {
    if (typeof candidate === 'string' && candidate !== '' && candidate !== 'Error') return candidate;
  }
  return 'UnknownError';
}

/**
 * Classifies anything the AWS SDK (or the network under it) throws as a CloudError with the EC2
 * error code and `retryable` set. `action` names the call in the message ("RunInstances").
 */
export function errorFromAws(error: unknown, action?: string): CloudError {
  if (error instanceof CloudError) return error;
  const aws = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as AwsLikeError;
  const status = typeof aws.$metadata?.httpStatusCode === 'number' ? aws.$metadata.httpStatusCode : undefined;
  const serverFault = aws.$fault === 'server' || (status !== undefined && status >= 500);
  const rawMessage = typeof aws.message === 'string' ? aws.message : '';
  // The SDK could not read the answer at all (HTML from a proxy, truncated or binary XML).
  if (/Deserialization error|XML parse error|Expected closing tag|Unexpected end/i.test(rawMessage)) {
    const firstLine = rawMessage.split(/\r?\n/)[0].replace(/^Deserialization error:.*$/, '').trim();
    return new CloudError(
      'InvalidCloudResponse',
      oneLine(`${action ? `${action} failed: ` : ''}the endpoint's answer${status !== undefined ? ` (HTTP ${status})` : ''} is not EC2's XML${firstLine ? ` (${firstLine})` : ''}`),
      { retryable: serverFault, hint: 'check ec2_url: it must be an EC2-compatible API, not a web page or a proxy\'s error page', cause: error },
    );
  }
  const code = codeOf(aws);
  // An unknown code is judged by who is at fault: the cloud (5xx) may recover, the request won't.
  const retryable = RETRYABLE_CODES.has(code) || (serverFault && !NEVER_RETRYABLE.test(code));
  const message = typeof aws.message === 'string' && aws.message !== '' ? aws.message : 'the cloud gave no message';
  const hint = HINTS.find(([pattern]) => pattern.test(code))?.[1];
  return new CloudError(code, oneLine(action ? `${action} failed: ${message}` : message), { retryable, hint, cause: error });
}
