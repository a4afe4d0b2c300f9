import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { CloudError } from '@elastiq/core';
import { errorFromAws } from '../src';

/** An error shaped exactly as the SDK throws it for an EC2 error response. */
function ec2Error(code: string, httpStatusCode: number, message = `${code} happened`): EC2ServiceException {
  const error = new EC2ServiceException({
    name: code,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
    message,
  });
  Object.assign(error, { Code: code });
  return error;
}

describe('errorFromAws', () => {
  it.each([
    ['RequestLimitExceeded', 503],
    ['InsufficientInstanceCapacity', 500],
    ['InvalidInstanceID.NotFound', 400],
    ['InternalError', 500],
    ['SomethingNewFromTheServer', 503],
  ])('classifies %s (HTTP %i) as retryable', (code, status) => {
    const error = errorFromAws(ec2Error(code, status), 'RunInstances');

    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({ code, retryable: true });
  });

  it.each([
    ['InstanceLimitExceeded', 400],
    ['VcpuLimitExceeded', 400],
    ['InvalidAMIID.NotFound', 400],
    ['InvalidKeyPair.NotFound', 400],
    ['InvalidGroup.NotFound', 400],
    ['UnauthorizedOperation', 403],
    ['AuthFailure', 401],
    ['IdempotentParameterMismatch', 400],
    ['SomethingNewFromTheClient', 400],
  ])('classifies %s (HTTP %i) as not retryable', (code, status) => {
    expect(errorFromAws(ec2Error(code, status))).toMatchObject({ code, retryable: false });
  });

  it('does not retry a quota error even when it comes with a server status', () => {
    expect(errorFromAws(ec2Error('InstanceLimitExceeded', 503))).toMatchObject({ retryable: false });
  });

  it('treats network failures under the SDK as retryable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

    expect(errorFromAws(refused)).toMatchObject({ code: 'ECONNREFUSED', retryable: true });
  });

  it('names the action and tells the user which config key to fix', () => {
    const error = errorFromAws(ec2Error('InvalidAMIID.NotFound', 400, "The image id '[ami-123]' does not exist"), 'RunInstances');

    expect(error.message).toBe("InvalidAMIID.NotFound: RunInstances failed: The image id '[ami-123]' does not exist");
    expect(error.toUserLine()).toContain('image_id');
  });

  it('explains quota errors in terms of node counts and min_nodes', () => {
    expect(errorFromAws(ec2Error('InstanceLimitExceeded', 400)).hint).toMatch(/quota.*min_nodes/);
  });

  it('tells which key types EC2 imports when it refuses a key format', () => {
    expect(errorFromAws(ec2Error('InvalidKey.Format', 400))).toMatchObject({ retryable: false, hint: expect.stringMatching(/RSA and ed25519.*user_key_public/) });
  });

  it('returns a CloudError unchanged', () => {
    const original = new CloudError('X', 'y', { retryable: true });

    expect(errorFromAws(original)).toBe(original);
  });

  it('copes with things that are not errors at all', () => {
    expect(errorFromAws('boom')).toMatchObject({ code: 'UnknownError', retryable: false, message: 'UnknownError: boom' });
  });
});
