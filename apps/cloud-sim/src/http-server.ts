import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleAdminRequest } from './admin/admin-router';
import { handleEc2Request } from './api/ec2-endpoint';
import type { CloudSim } from './cloud-sim';

// One node:http server: /_sim/* is the admin API, everything else is the EC2 endpoint.

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export function createCloudSimServer(sim: CloudSim): Server {
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    if (body === undefined) {
      response.writeHead(413, { 'content-type': 'text/plain' });
      response.end(`request body larger than ${MAX_BODY_BYTES} bytes`);
      return;
    }
    if ((request.url ?? '').startsWith('/_sim/')) return handleAdminRequest(request, response, body, sim);
    return handleEc2Request(request, response, body, {
      context: sim.actionContext(),
      faults: sim.faultRules,
      rateLimiter: sim.rateLimiter,
      stats: sim.apiStats,
      log: sim.log,
      afterWrite: () => sim.saveAccount(),
    });
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      sim.log.error({ err: error, url: request.url }, 'request failed');
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('internal error');
    });
  });
  // The SDK keeps connections alive; without this, close() would wait for them to time out.
  server.keepAliveTimeout = 5_000;
  return server;
}
