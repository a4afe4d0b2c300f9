import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ActionContext } from '../actions/action-context';
import { ACTIONS } from '../actions/action-registry';
import { isPaginatedDescribe } from '../actions/describe-instances';
import type { ApiStats } from '../sim/api-stats';
import type { Faults } from '../sim/faults';
import { Ec2Error, injectedError } from './ec2-error';
import { foldQueryParams } from './query-params';
import { type RateLimiter, requestBucketName } from './rate-limits';
import { readSignature } from './signature';
import { errorXml, successXml } from './xml-response';

// One EC2 Query-protocol call: signature → action → latency fault → throttle → error fault →
// handler → XML. Every call is counted, whatever its outcome.

export interface Ec2EndpointDependencies {
  context: Omit<ActionContext, 'params' | 'accessKeyId'>;
  faults: Faults;
  rateLimiter: RateLimiter;
  stats: ApiStats;
  log: Logger;
  /** Runs after a call that may have changed the account, before it is answered (--keep-state). */
  afterWrite?: () => void;
}

/** Calls that only read: nothing to keep after them. */
const READ_ONLY_ACTION = /^(Describe|Get)/;

const DEFAULT_API_VERSION = '2016-11-15';

export async function handleEc2Request(
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
  deps: Ec2EndpointDependencies,
): Promise<void> {
  const requestId = randomUUID();
  const flat = new URLSearchParams(new URL(request.url ?? '/', 'http://cloud-sim').search);
  for (const [key, value] of new URLSearchParams(body)) flat.append(key, value);
  const action = flat.get('Action') ?? '';
  const requestedVersion = flat.get('Version') ?? DEFAULT_API_VERSION;
  const apiVersion = /^\d{4}-\d{2}-\d{2}$/.test(requestedVersion) ? requestedVersion : DEFAULT_API_VERSION;
  const signature = readSignature(request, flat);

  const send = (status: number, xml: string) => {
    response.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId });
    response.end(xml);
  };
  const record = (errorCode?: string) =>
    deps.stats.record({
      action: action || '(none)',
      errorCode,
      accessKeyId: signature?.accessKeyId,
      signatureVersion: signature?.version,
      apiVersion,
    });

  try {
    if (!signature) {
      throw new Ec2Error('MissingAuthenticationToken', 'Request is missing Authentication Token (sign it with SigV4 or SigV2).');
    }
    if (!action) throw new Ec2Error('MissingAction', 'The request must contain the parameter Action');
    const handler = ACTIONS[action];
    if (!handler) throw new Ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`);
    const params = foldQueryParams(flat);

    const latency = deps.faults.latencyFor(action);
    if (latency > 0) await sleep(latency);
    if (!deps.rateLimiter.takeRequestToken(requestBucketName(action, isPaginatedDescribe(params)))) {
      throw new Ec2Error('RequestLimitExceeded', 'Request limit exceeded.');
    }
    const injected = deps.faults.injectedErrorFor(action);
    if (injected) throw injectedError(injected);

    const body = handler({ ...deps.context, params, accessKeyId: signature.accessKeyId });
    if (!READ_ONLY_ACTION.test(action)) deps.afterWrite?.();
    record();
    send(200, successXml(action, apiVersion, requestId, body));
  } catch (error) {
    const ec2Error =
      error instanceof Ec2Error ? error : new Ec2Error('InternalError', 'An internal error has occurred');
    if (!(error instanceof Ec2Error)) deps.log.error({ err: error, action }, 'action failed unexpectedly');
    record(ec2Error.code);
    deps.log.debug({ action, code: ec2Error.code, requestId }, 'answered with an error');
    send(ec2Error.httpStatus, errorXml(ec2Error.code, ec2Error.message, requestId));
  }
}
