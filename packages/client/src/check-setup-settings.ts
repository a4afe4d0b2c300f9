import type { ClusterTemplate } from '@elastiq/config';
import { checkAnsibleSettings } from '@elastiq/setup';

/**
 * Checks, before anything is launched, the setup section mistakes that do not depend on the
 * machine that runs the setup: a bad `<kind>_var_<name>` or group name, an unterminated quote in
 * `ansible_extra_args`, an option elastiq must own. The configuration loader already refused a
 * missing playbook or script; whether ansible-playbook exists is the worker's business (only
 * workers that have it take setup jobs). Throws ConfigurationError naming file, section and key.
 */
export function checkSetupSettings(template: ClusterTemplate, configFile: string): void {
  const { setup } = template;
  if (setup.provider !== 'ansible' || setup.playbookPath === undefined) return;
  checkAnsibleSettings(
    {
      playbookPath: setup.playbookPath,
      ...(setup.ansibleCommand !== undefined ? { ansibleCommand: setup.ansibleCommand } : {}),
      ...(setup.ansibleExtraArgs !== undefined ? { extraArgs: setup.ansibleExtraArgs } : {}),
      ansibleOptions: setup.ansibleOptions,
      kindVars: setup.vars,
      configFile,
      configSection: `setup/${setup.name}`,
    },
    setup.groups,
  );
}
