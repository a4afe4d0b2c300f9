import { InvalidJobPayload } from '@elastiq/core';
import fc from 'fast-check';
import {
  ClusterSetupPayloadSchema,
  ClusterStopPayloadSchema,
  CoordinatorPayloadSchema,
  NodeProbePayloadSchema,
  NodeStartPayloadSchema,
  NodeStopPayloadSchema,
  parseJobPayload,
} from '../src';

// Issue 14, part 2: job data a worker did not expect (another build's producer, a hand-made job
// in Bull Board, a corrupted Redis value). The property: the payload parses into what the
// processor relies on, or InvalidJobPayload names the bad fields on one line. Never a TypeError.
const RUNS = { seed: 1414, numRuns: 300 };

const SCHEMAS = {
  'node-start': NodeStartPayloadSchema,
  'node-probe': NodeProbePayloadSchema,
  'node-stop': NodeStopPayloadSchema,
  'cluster-coordinator': CoordinatorPayloadSchema,
  'cluster-stop': ClusterStopPayloadSchema,
  'cluster-setup': ClusterSetupPayloadSchema,
};
const VALID = { v: 1, cluster: 'slurm', generation: 3, node: 'compute001', kind: 'compute', round: 2, reason: 'r', runSetup: true, sweep: 0, force: false, extraArgs: ['-v'] };
const FIELDS = Object.keys(VALID);

/** Odd values for a field: absurd numbers, wrong types, huge strings, control bytes. */
const oddValue = fc.oneof(
  fc.constantFrom(0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e308, Number.MAX_SAFE_INTEGER + 2, -0, '', '1', null, true, [], {}),
  fc.string({ maxLength: 20 }),
  fc.string({ minLength: 5000, maxLength: 6000 }),
  fc.array(fc.oneof(fc.string(), fc.constant(''), fc.constant('a\0b'), fc.integer()), { maxLength: 120 }),
  fc.jsonValue({ maxDepth: 3 }),
);
/** A valid payload with some fields replaced, removed or added. */
const mutatedPayload = fc
  .tuple(fc.dictionary(fc.constantFrom(...FIELDS, '__proto__', 'constructor', 'extra'), fc.option(oddValue, { nil: undefined }), { maxKeys: 4 }))
  .map(([changes]) => {
    const data: Record<string, unknown> = { ...VALID };
    for (const [field, value] of Object.entries(changes)) {
      if (value === undefined) delete data[field];
      else Object.defineProperty(data, field, { value, enumerable: true, configurable: true, writable: true });
    }
    return data;
  });
const anyData = fc.oneof(mutatedPayload, fc.anything({ maxDepth: 3 }), fc.constantFrom(undefined, null, 'null', 42, []));

function expectUsable(name: string, payload: Record<string, unknown>): void {
  expect(payload.v).toBe(1);
  expect(typeof payload.cluster === 'string' && payload.cluster.length > 0).toBe(true);
  expect(Number.isSafeInteger(payload.generation) && (payload.generation as number) > 0).toBe(true);
  if (name.startsWith('node-')) expect(typeof payload.node === 'string' && payload.node.length > 0).toBe(true);
}

describe('generated job payloads', () => {
  it.each(Object.entries(SCHEMAS))('%s: parses into a usable payload or throws a one-line InvalidJobPayload naming the fields', (name, schema) => {
    fc.assert(
      fc.property(anyData, (data) => {
        try {
          expectUsable(name, parseJobPayload(schema, { name, id: `id/${name}`, data }));
        } catch (error) {
          if (!(error instanceof InvalidJobPayload)) throw error;
          expect(error.toUserLine()).not.toMatch(/[\r\n]/);
          expect(error.message).toContain(`job \`${name}\` (id/${name})`);
          expect(error.issues.length).toBeGreaterThan(0);
          for (const issue of error.issues) expect(issue).toMatch(/^[^:]+: ./);
        }
      }),
      RUNS,
    );
  });
});
