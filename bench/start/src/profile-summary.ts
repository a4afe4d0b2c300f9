#!/usr/bin/env node
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';

// Reduces the V8 profiles a profiled what-if run leaves (--cpu-prof, --heap-prof) to the few
// lines that explain a missed target: self CPU time and live-allocation by function, summed over
// every worker. Usage: node bench/start/dist/profile-summary.js <profile dir> [top N]

const callFrame = z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() });
const cpuProfile = z.object({
  nodes: z.array(z.object({ id: z.number(), callFrame, hitCount: z.number().optional() })),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
});
interface HeapNode {
  callFrame: z.infer<typeof callFrame>;
  selfSize: number;
  children: HeapNode[];
}
const heapNode: z.ZodType<HeapNode> = z.lazy(() => z.object({ callFrame, selfSize: z.number(), children: z.array(heapNode) }));
const heapProfile = z.object({ head: heapNode });

const REPO_ROOT = join(__dirname, '..', '..', '..');

function frameName(frame: z.infer<typeof callFrame>): string {
  // Frames name files by URL (CPU profiles) or by absolute path (heap profiles): both are printed
  // relative to the repository, so results name no machine's directories.
  const path = frame.url.startsWith('file://') ? frame.url.slice('file://'.length) : frame.url;
  const where = path.startsWith('/') ? relative(REPO_ROOT, path) : path || '(native)';
  return `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
}

function top(totals: Map<string, number>, count: number, unit: (value: number) => string, whole: number): string[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, value]) => `${unit(value).padStart(10)} ${((value / whole) * 100).toFixed(1).padStart(5)}%  ${name}`);
}

async function main(): Promise<void> {
  const [dir, topText = '15'] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: profile-summary <dir with .cpuprofile/.heapprofile files> [top N]\n');
    process.exit(2);
  }
  const count = Number(topText);
  const files = await readdir(dir);
  const cpu = new Map<string, number>();
  let cpuTotalMs = 0;
  const heap = new Map<string, number>();
  let heapTotal = 0;
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8');
    if (file.endsWith('.cpuprofile')) {
      const profile = cpuProfile.parse(JSON.parse(text));
      const msPerSample = (profile.endTime - profile.startTime) / 1000 / Math.max(profile.samples.length, 1);
      const byId = new Map(profile.nodes.map((node) => [node.id, node]));
      for (const id of profile.samples) {
        const node = byId.get(id);
        if (!node) continue;
        const name = frameName(node.callFrame);
        cpu.set(name, (cpu.get(name) ?? 0) + msPerSample);
        if (name.startsWith('(idle)')) continue;
        cpuTotalMs += msPerSample;
      }
    } else if (file.endsWith('.heapprofile')) {
      const walk = (node: HeapNode) => {
        const name = frameName(node.callFrame);
        heap.set(name, (heap.get(name) ?? 0) + node.selfSize);
        heapTotal += node.selfSize;
        for (const child of node.children) walk(child);
      };
      walk(heapProfile.parse(JSON.parse(text)).head);
    }
  }
  cpu.delete([...cpu.keys()].find((name) => name.startsWith('(idle)')) ?? '');
  const lines = [
    `CPU (busy ${(cpuTotalMs / 1000).toFixed(1)} s over all workers), self time by function:`,
    ...top(cpu, count, (ms) => `${(ms / 1000).toFixed(2)} s`, cpuTotalMs),
    '',
    `Heap still allocated at exit by allocating function (sampled, ${(heapTotal / 2 ** 20).toFixed(0)} MB):`,
    ...top(heap, count, (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`, heapTotal),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`profile-summary: ${(error as Error).message}\n`);
  process.exit(1);
});
