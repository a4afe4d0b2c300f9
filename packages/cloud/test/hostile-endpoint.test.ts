import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudError } from '@elastiq/core';
import fc from 'fast-check';
import { Ec2CloudProvider } from '../src';

// Issue 14, part 2: an EC2 endpoint that answers what no EC2 would. Whatever comes back, the
// provider either returns instances that hold what elastiq relies on (an id, a known state, a
// launch index ≥ 0), or rejects with a CloudError on one line: never a TypeError, never a hang
// past its timeouts, never an instance made up of missing fields. Fixed seed, bounded runs.
const RUNS = { seed: 1415, numRuns: 60 };
const REQUEST_TIMEOUT_MS = 400;

type Answer = { status: number; contentType: string; body: Buffer | string } | { hang: true } | { hangUp: true };

function instanceXml(fields: { id?: string; state?: string; launchIndex?: string; ip?: string; launchTime?: string }): string {
  return [
    '<item>',
    fields.id === undefined ? '' : `<instanceId>${fields.id}</instanceId>`,
    fields.state === undefined ? '' : `<instanceState><code>16</code><name>${fields.state}</name></instanceState>`,
    fields.launchIndex === undefined ? '' : `<amiLaunchIndex>${fields.launchIndex}</amiLaunchIndex>`,
    fields.ip === undefined ? '' : `<privateIpAddress>${fields.ip}</privateIpAddress>`,
    fields.launchTime === undefined ? '' : `<launchTime>${fields.launchTime}</launchTime>`,
    '</item>',
  ].join('');
}

function describeXml(instances: string[], nextToken?: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId>',
    `<reservationSet><item><reservationId>r-1</reservationId><instancesSet>${instances.join('')}</instancesSet></item></reservationSet>`,
    nextToken === undefined ? '' : `<nextToken>${nextToken}</nextToken>`,
    '</DescribeInstancesResponse>',
  ].join('');
}

const absurdNumber = fc.constantFrom('-1', '1e309', '99999999999999999999999', 'NaN', 'twelve', '', '0x10', '3.5');
const field = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const instance = fc.record({
  id: field(fc.oneof(fc.constantFrom('i-0abc', '', ' '), fc.string({ maxLength: 20 }).map((text) => text.replace(/[<&]/g, '')))),
  state: field(fc.constantFrom('running', 'pending', 'terminated', 'exploded', '', 'RUNNING')),
  launchIndex: field(fc.oneof(absurdNumber, fc.constant('0'))),
  ip: field(fc.constantFrom('127.0.0.1', 'not-an-ip', '')),
  launchTime: field(fc.constantFrom('2026-01-02T03:04:05.000Z', 'yesterday', '')),
});
const validXml = fc.array(instance, { maxLength: 4 }).map((items) => describeXml(items.map(instanceXml)));

const answer: fc.Arbitrary<Answer> = fc.oneof(
  validXml.map((body) => ({ status: 200, contentType: 'text/xml', body })),
  // Truncated anywhere.
  fc.tuple(validXml, fc.double({ min: 0, max: 1, noNaN: true })).map(([body, cut]) => ({ status: 200, contentType: 'text/xml', body: body.slice(0, Math.floor(body.length * cut)) })),
  // The wrong content type, JSON, HTML error pages from a proxy, an empty body.
  fc.constantFrom(
    { status: 200, contentType: 'application/json', body: '{"Reservations": []}' },
    { status: 200, contentType: 'text/html', body: '<html><body><h1>Welcome to nginx!</h1></body></html>' },
    { status: 502, contentType: 'text/html', body: '<html><head><title>502 Bad Gateway</title></head><body>bad gateway</body></html>' },
    { status: 403, contentType: 'text/html', body: '<!DOCTYPE html><html><body>Forbidden</body></html>' },
    { status: 200, contentType: 'text/xml', body: '' },
    { status: 500, contentType: 'text/xml', body: '<Response><Errors><Error><Code>Weird.Code</Code><Message>line one\nline two</Message></Error></Errors></Response>' },
    { status: 400, contentType: 'text/xml', body: '<Response><Errors><Error></Error></Errors></Response>' },
    { status: 200, contentType: 'text/xml', body: describeXml([instanceXml({ id: 'i-1', state: 'running' })], 'same-token') },
  ),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ status: 200, contentType: 'text/xml', body: Buffer.from(bytes) })),
  fc.constantFrom<Answer>({ hang: true }, { hangUp: true }),
);

describe('the EC2 provider against a hostile endpoint', () => {
  let server: Server;
  let current: Answer = { hangUp: true };
  let provider: Ec2CloudProvider;

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      request.resume();
      request.on('end', () => {
        if ('hang' in current) return; // never answers; the client's request timeout must end it
        if ('hangUp' in current) {
          request.socket.destroy();
          return;
        }
        response.writeHead(current.status, { 'content-type': current.contentType });
        response.end(current.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    provider = new Ec2CloudProvider({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'AKIDHOSTILE', secretAccessKey: 'hostile-endpoint-secret' },
      maxAttempts: 1,
      connectTimeoutMs: REQUEST_TIMEOUT_MS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    });
  });
  afterAll(async () => {
    provider.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('lists instances that hold what elastiq relies on, or fails with a one-line CloudError, in bounded time', async () => {
    await fc.assert(
      fc.asyncProperty(answer, async (given) => {
        current = given;
        const began = Date.now();
        let outcome: unknown;
        try {
          outcome = await provider.describeCluster('c');
        } catch (error) {
          outcome = error;
        }
        expect(Date.now() - began).toBeLessThan(REQUEST_TIMEOUT_MS * 5 + 2_000);
        if (outcome instanceof Error) {
          expect(outcome).toBeInstanceOf(CloudError);
          expect(outcome.message).not.toMatch(/[\r\n]/);
          expect(outcome.message).not.toContain('hostile-endpoint-secret');
          return;
        }
        for (const listed of outcome as Awaited<ReturnType<Ec2CloudProvider['describeCluster']>>) {
          expect(listed.instanceId).toMatch(/\S/);
          expect(['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated']).toContain(listed.state);
          expect(Number.isInteger(listed.launchIndex) && listed.launchIndex >= 0).toBe(true);
        }
      }),
      RUNS,
    );
  }, 120_000);

  it('refuses a NextToken it has seen before instead of paging for ever', async () => {
    current = { status: 200, contentType: 'text/xml', body: describeXml([instanceXml({ id: 'i-1', state: 'running' })], 'same-token') };
    await expect(provider.describeCluster('c')).rejects.toThrow(/NextToken it had returned before/);
  });

  it('ends a call the endpoint never answers within its request timeout, as a retryable CloudError', async () => {
    current = { hang: true };
    const error = await provider.describeCluster('c').catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).retryable).toBe(true);
  });
});
