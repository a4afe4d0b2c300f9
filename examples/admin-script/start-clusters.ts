// An admin script on elastiq's client API: starts several clusters of one template in parallel,
// prints each kind's progress as the fleet reports it, then a table, and (with --stop) stops them.
//
//   npx tsx examples/admin-script/start-clusters.ts -c examples/cloud-sim.conf sim-slurm 3 [--no-setup] [--stop]
//
// It needs the fleet's Redis (ELASTIQ_REDIS_URL, ELASTIQ_QUEUE_PREFIX) and running workers; it
// never sees cloud credentials: the workers do the cloud and SSH work.
import { type ClusterDict, ElastiqClient, ElastiqError, StartFailed } from '@elastiq/client';

interface Row {
  name: string;
  status: string;
  up: string;
  seconds: string;
}

async function main(argv: string[]): Promise<number> {
  const configIndex = argv.indexOf('-c');
  const configFile = configIndex >= 0 ? argv[configIndex + 1] : undefined;
  const positional = argv.filter((arg, index) => !arg.startsWith('-') && argv[index - 1] !== '-c');
  const [templateName, countText = '3'] = positional;
  if (templateName === undefined) {
    console.error('usage: start-clusters.ts [-c CONFIG] TEMPLATE [COUNT] [--no-setup] [--stop]');
    return 64;
  }
  const elastiq = await ElastiqClient.connect(configFile === undefined ? {} : { configFile });
  try {
    const names = Array.from({ length: Number(countText) }, (_, index) => `${templateName}-${index + 1}`);
    const setup = !argv.includes('--no-setup');
    const rows = await Promise.all(names.map((name) => startOne(elastiq, templateName, name, setup)));
    console.table(rows);
    if (argv.includes('--stop')) {
      await Promise.all(names.map((name) => elastiq.stop(name, { wait: true })));
      console.log(`stopped ${names.join(', ')}`);
    }
    return rows.every((row) => row.status === 'ready' || row.status === 'degraded') ? 0 : 1;
  } finally {
    await elastiq.close();
  }
}

async function startOne(elastiq: ElastiqClient, template: string, name: string, setup: boolean): Promise<Row> {
  const began = Date.now();
  const start = await elastiq.start({ template, name, setup });
  for await (const event of start.events()) {
    if (event.type === 'kind') console.log(`${name} ${event.kind}: ${event.up}/${event.wanted} up, ${event.launched} launched, ${event.failed} failed`);
    if (event.type === 'status') console.log(`${name} is ${event.status}`);
  }
  let cluster: ClusterDict | null;
  try {
    cluster = await start.result();
  } catch (error) {
    if (!(error instanceof StartFailed)) throw error;
    cluster = error.cluster;
  }
  const nodes = Object.values(cluster?.nodes ?? {}).flat();
  return {
    name,
    status: cluster?.status ?? 'stopped',
    up: `${nodes.filter((node) => node.state === 'up').length}/${nodes.length}`,
    seconds: ((Date.now() - began) / 1000).toFixed(1),
  };
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A user mistake (bad template, unknown cluster, Redis down) is one line; anything else a bug.
    console.error(error instanceof ElastiqError ? `error: ${error.toUserLine()}` : error);
    process.exitCode = error instanceof ElastiqError ? error.exitCode : 70;
  },
);
