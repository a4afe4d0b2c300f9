import { rateLimitKey } from '@elastiq/queue';
import type { RedisConnection } from '@elastiq/redis';

// A token bucket in Redis shared by every worker process: EC2 throttles per account and region,
// not per process, so a limit enforced per process would be multiplied by the fleet size.
// Redis's own clock is used so that workers on machines with skewed clocks agree.
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local per_second = tonumber(ARGV[2])
local cost = math.min(tonumber(ARGV[3]), capacity)
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * per_second / 1000)
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
else
  wait = math.ceil((cost - tokens) * 1000 / per_second)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 3600000)
return wait
`;

export interface BucketLimit {
  /** Tokens available at once. */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
}

export class RedisTokenBucket {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  /** Waits until `cost` tokens could be taken from `bucket`; returns how long it waited (ms). */
  async take(bucket: string, limit: BucketLimit, cost = 1): Promise<number> {
    let waited = 0;
    for (;;) {
      const wait = Number(
        await this.redis.eval(TAKE_SCRIPT, 1, rateLimitKey(this.prefix, bucket), limit.burst, limit.perSecond, cost),
      );
      if (wait <= 0) return waited;
      // Jitter so that workers woken together do not all race for the same refill.
      const pause = wait + Math.random() * Math.min(wait, 200);
      await new Promise((resolve) => setTimeout(resolve, pause));
      waited += pause;
    }
  }
}
