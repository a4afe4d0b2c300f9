import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { CloudSim } from '../cloud-sim';
import { capacityRulesSchema } from '../sim/capacity-view';
import { faultConfigSchema } from '../sim/faults';

// The observation and fault-injection API under /_sim/. JSON in, JSON out; a bad body is a 400
// that names the field.

const dieBody = z.strictObject({ terminate: z.boolean().optional() });

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(value));
}

function parseJsonBody<Schema extends z.ZodType>(schema: Schema, body: string): z.infer<Schema> | { error: string } {
  let raw: unknown;
  try {
    raw = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    return { error: 'the body must be JSON' };
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  return {
    error: result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; '),
  };
}

const isError = (value: unknown): value is { error: string } =>
  typeof value === 'object' && value !== null && 'error' in value && Object.keys(value).length === 1;

export async function handleAdminRequest(
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
  sim: CloudSim,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://cloud-sim').pathname.replace(/\/+$/, '');
  const route = `${request.method} ${path}`;
  const instanceRoute = /^POST \/_sim\/instances\/([^/]+)\/(die|change-host-key|interrupt)$/.exec(route);

  if (route === 'GET /_sim/health') return sendJson(response, 200, sim.health());
  if (route === 'GET /_sim/instances') return sendJson(response, 200, sim.instances());
  if (route === 'GET /_sim/stats') return sendJson(response, 200, sim.stats());
  if (route === 'GET /_sim/faults') return sendJson(response, 200, sim.faults());
  if (route === 'POST /_sim/reset') {
    await sim.reset();
    return sendJson(response, 200, { reset: true });
  }
  if (route === 'DELETE /_sim/faults') {
    sim.clearFaults();
    return sendJson(response, 200, sim.faults());
  }
  if (route === 'POST /_sim/faults') {
    const update = parseJsonBody(faultConfigSchema, body);
    if (isError(update)) return sendJson(response, 400, update);
    sim.setFaults(update);
    return sendJson(response, 200, sim.faults());
  }
  if (route === 'GET /_sim/capacity') return sendJson(response, 200, sim.capacity());
  if (route === 'POST /_sim/capacity') {
    const update = parseJsonBody(capacityRulesSchema, body);
    if (isError(update)) return sendJson(response, 400, update);
    sim.setCapacity(update.rules);
    return sendJson(response, 200, sim.capacity());
  }
  if (instanceRoute) {
    const [, instanceId, operation] = instanceRoute;
    if (!sim.hasInstance(instanceId)) return sendJson(response, 404, { error: `no instance ${instanceId}` });
    if (operation === 'interrupt') {
      if (sim.instance(instanceId)?.market !== 'spot') return sendJson(response, 400, { error: `${instanceId} is not a spot instance: only spot instances are interrupted` });
      sim.interruptSpotInstance(instanceId);
      return sendJson(response, 200, sim.instance(instanceId));
    }
    if (operation === 'change-host-key') {
      await sim.changeHostKey(instanceId);
      return sendJson(response, 200, sim.instance(instanceId));
    }
    const options = parseJsonBody(dieBody, body);
    if (isError(options)) return sendJson(response, 400, options);
    sim.killInstance(instanceId, options);
    return sendJson(response, 200, sim.instance(instanceId));
  }
  return sendJson(response, 404, {
    error: `unknown admin route ${route}`,
    routes: [
      'GET /_sim/health',
      'GET /_sim/instances',
      'GET /_sim/stats',
      'POST /_sim/reset',
      'GET|POST|DELETE /_sim/faults',
      'GET|POST /_sim/capacity',
      'POST /_sim/instances/:id/die',
      'POST /_sim/instances/:id/change-host-key',
      'POST /_sim/instances/:id/interrupt',
    ],
  });
}
