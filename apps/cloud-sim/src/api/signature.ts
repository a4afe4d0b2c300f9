import type { IncomingMessage } from 'node:http';

// cloud-sim accepts any credentials but, like EC2, refuses unsigned requests. It records which
// access key signed each call so tests can see what a client used.

export interface RequestSignature {
  version: 'v4' | 'v2';
  accessKeyId: string;
}

/** Finds SigV4 (Authorization header or presigned query) or SigV2 (boto 2 era: form fields). */
export function readSignature(request: IncomingMessage, params: URLSearchParams): RequestSignature | undefined {
  const authorization = request.headers.authorization ?? '';
  const header = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\//.exec(authorization);
  if (header) return { version: 'v4', accessKeyId: header[1] };
  const presigned = /^([^/]+)\//.exec(params.get('X-Amz-Credential') ?? '');
  if (presigned && params.get('X-Amz-Signature')) return { version: 'v4', accessKeyId: presigned[1] };
  const legacyKey = params.get('AWSAccessKeyId');
  if (legacyKey && params.get('Signature')) return { version: 'v2', accessKeyId: legacyKey };
  return undefined;
}
