import type { SetupContext, SetupOutcome, SetupProvider } from '@elastiq/setup';

/** For clusters without a setup step: every node is reported as skipped. */
export const noSetupProvider: SetupProvider = {
  name: 'none',
  async checkPrerequisites() {},
  async run(context: SetupContext): Promise<SetupOutcome> {
    return {
      ok: true,
      nodes: Object.fromEntries(context.nodes.map((node) => [node.name, { ok: true, status: 'skipped' as const, attempts: 0 }])),
    };
  },
};
