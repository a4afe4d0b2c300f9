import type { RunningCloudSim } from '../../src';

/** A hand-made Query-protocol call, for what the SDK cannot send (unknown actions, unsigned
 *  requests, the boto 2 dialect). `sign: 'v2'` adds the form fields boto 2 sends. */
export async function rawQuery(
  sim: RunningCloudSim,
  params: Record<string, string>,
  sign: 'v4' | 'v2' | 'none' = 'v4',
): Promise<{ status: number; xml: string }> {
  const form = new URLSearchParams(params);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  if (sign === 'v4') {
    headers.authorization =
      'AWS4-HMAC-SHA256 Credential=AKIDRAW/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00';
  }
  if (sign === 'v2') {
    form.set('AWSAccessKeyId', 'AKIDBOTO2');
    form.set('SignatureMethod', 'HmacSHA256');
    form.set('SignatureVersion', '2');
    form.set('Timestamp', new Date().toISOString());
    form.set('Signature', 'c2lnbmF0dXJl');
  }
  const response = await fetch(`${sim.endpoint}/`, { method: 'POST', headers, body: form.toString() });
  return { status: response.status, xml: await response.text() };
}
