import { describeTemplate, type TemplateDescription } from '@elastiq/config';
import type { Command } from 'commander';
import { minimatch } from 'minimatch';
import type { CommandContext } from '../command-context';

interface ListTemplatesOptions {
  json?: boolean;
}

export function registerListTemplates(program: Command, run: (action: (context: CommandContext) => Promise<number>) => Promise<void>): void {
  program
    .command('list-templates')
    .description('list the cluster templates of the configuration, with their node kinds and counts')
    .argument('[patterns...]', 'only templates whose name matches every shell pattern, e.g. \'slurm*\'')
    .option('--json', 'print a JSON array, one object per template, with values after defaults and overrides')
    .action((patterns: string[], options: ListTemplatesOptions) => run((context) => listTemplates(context, patterns, options)));
}

async function listTemplates(context: CommandContext, patterns: string[], options: ListTemplatesOptions): Promise<number> {
  const configuration = await context.loadConfiguration();
  // Dropped sections are never silent (ElastiCluster only logged them at DEBUG).
  for (const dropped of configuration.dropped) {
    context.terminal.err(`warning: ${dropped.file ? `${dropped.file}: ` : ''}[${dropped.section}] was left out: ${dropped.reason}`);
  }
  const all = Object.values(configuration.templates);
  // ElastiCluster ANDs the patterns (fnmatch).
  const descriptions = all
    .filter((template) => patterns.every((pattern) => minimatch(template.name, pattern, { dot: true })))
    .map(describeTemplate)
    .sort((a, b) => a.name.localeCompare(b.name));
  if (options.json) {
    context.terminal.out(JSON.stringify(descriptions, null, 2));
    return 0;
  }
  context.terminal.out(formatTemplates(all.length, patterns, descriptions));
  return 0;
}

/** ElastiCluster's list-templates text (notes §2.3), plus the cloud line its docs promise. */
function formatTemplates(total: number, patterns: string[], descriptions: TemplateDescription[]): string {
  const lines = [`${total} cluster templates found in configuration file.`];
  if (patterns.length > 0) lines.push(`${descriptions.length} cluster templates found matching pattern(s) '${patterns.join(', ')}'`);
  for (const template of descriptions) {
    lines.push('', `name:     ${template.name}`, `cloud:    ${template.cloud}`);
    for (const [kind, values] of Object.entries(template.kinds)) {
      const minimum = values.min < values.count ? ` (at least ${values.min})` : '';
      lines.push(`${kind} nodes: ${values.count}${minimum}`);
    }
  }
  return lines.join('\n');
}
