import { z } from 'zod';

// One line of the ansible.posix.jsonl stdout callback (ansible 7.7 / ansible-core 2.14). Only the
// fields elastiq reads are declared; the rest passes through untouched.

const HostResultSchema = z
  .object({
    msg: z.unknown().optional(),
    stderr: z.unknown().optional(),
    changed: z.boolean().optional(),
    failed: z.boolean().optional(),
    unreachable: z.boolean().optional(),
    skipped: z.boolean().optional(),
  })
  .loose();

const HostStatsSchema = z
  .object({
    ok: z.number().int().default(0),
    changed: z.number().int().default(0),
    unreachable: z.number().int().default(0),
    failures: z.number().int().default(0),
    skipped: z.number().int().default(0),
    rescued: z.number().int().default(0),
    ignored: z.number().int().default(0),
  })
  .loose();

const NamedSchema = z.object({ name: z.string() }).loose();

export const AnsibleEventSchema = z.discriminatedUnion('_event', [
  z.object({ _event: z.literal('v2_playbook_on_play_start'), play: NamedSchema }).loose(),
  z
    .object({
      _event: z.enum(['v2_playbook_on_task_start', 'v2_playbook_on_handler_task_start', 'v2_runner_on_start']),
      task: NamedSchema,
    })
    .loose(),
  z
    .object({
      _event: z.enum(['v2_runner_on_ok', 'v2_runner_on_failed', 'v2_runner_on_unreachable', 'v2_runner_on_skipped']),
      task: NamedSchema,
      hosts: z.record(z.string(), HostResultSchema),
    })
    .loose(),
  z.object({ _event: z.literal('v2_playbook_on_stats'), stats: z.record(z.string(), HostStatsSchema) }).loose(),
]);

export type AnsibleEvent = z.infer<typeof AnsibleEventSchema>;
export type HostStats = z.infer<typeof HostStatsSchema>;
type HostResult = z.infer<typeof HostResultSchema>;

/** A stdout line as an event, or undefined when it is not one (warnings, a crash's text...). */
export function parseAnsibleEventLine(line: string): AnsibleEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = AnsibleEventSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** What a human reads in the job log for the event, in the spirit of Ansible's default output. */
export function renderAnsibleEvent(event: AnsibleEvent): string[] {
  switch (event._event) {
    case 'v2_playbook_on_play_start':
      return [`PLAY [${event.play.name}]`];
    case 'v2_playbook_on_task_start':
    case 'v2_playbook_on_handler_task_start':
      return [`TASK [${event.task.name}]`];
    case 'v2_runner_on_start':
      return [];
    case 'v2_playbook_on_stats':
      return ['PLAY RECAP', ...Object.entries(event.stats).map(([host, stats]) => renderStats(host, stats))];
    default:
      return Object.entries(event.hosts).map(([host, result]) => renderHostResult(event._event, host, result));
  }
}

function renderStats(host: string, s: HostStats): string {
  return (
    `${host} : ok=${s.ok} changed=${s.changed} unreachable=${s.unreachable} failed=${s.failures} ` +
    `skipped=${s.skipped} rescued=${s.rescued} ignored=${s.ignored}`
  );
}

function renderHostResult(event: string, host: string, result: HostResult): string {
  const message = describeResult(result);
  switch (event) {
    case 'v2_runner_on_failed':
      return `fatal: [${host}]: FAILED! => ${message ?? 'no message'}`;
    case 'v2_runner_on_unreachable':
      return `fatal: [${host}]: UNREACHABLE! => ${message ?? 'no message'}`;
    case 'v2_runner_on_skipped':
      return `skipping: [${host}]`;
    default: {
      const head = `${result.changed ? 'changed' : 'ok'}: [${host}]`;
      return message === undefined ? head : `${head} => ${message}`;
    }
  }
}

/** The result's message (and stderr of a failed command), on one line. */
export function describeResult(result: HostResult): string | undefined {
  const parts = [result.msg, result.failed ? result.stderr : undefined]
    .filter((part) => part !== undefined && part !== '')
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)));
  return parts.length === 0 ? undefined : parts.join(': ').replace(/\s*\n\s*/g, ' | ');
}
