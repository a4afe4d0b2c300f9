import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

// Time to ready against cluster size (log N), as an SVG drawn here and turned into a PNG by
// rsvg-convert (apt package librsvg2-bin): no plotting library, no network.

const execFileAsync = promisify(execFile);

export interface PlotSeries {
  name: string;
  color: string;
  dashed?: boolean;
  points: { n: number; seconds: number }[];
}

const LABEL_PLACES = [
  { dx: 7, dy: -8, anchor: 'start' },
  { dx: -7, dy: -8, anchor: 'end' },
  { dx: 7, dy: 16, anchor: 'start' },
];
const WIDTH = 760;
const HEIGHT = 460;
const MARGIN = { left: 70, right: 190, top: 40, bottom: 60 };

export function timeToReadySvg(series: PlotSeries[], title: string): string {
  const all = series.flatMap((line) => line.points);
  const minLog = Math.floor(Math.log10(Math.min(...all.map((point) => point.n))));
  const maxLog = Math.ceil(Math.log10(Math.max(...all.map((point) => point.n))));
  const maxSeconds = niceCeiling(Math.max(...all.map((point) => point.seconds)));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (n: number) => MARGIN.left + ((Math.log10(n) - minLog) / Math.max(maxLog - minLog, 1)) * plotWidth;
  const y = (secondsValue: number) => MARGIN.top + plotHeight - (secondsValue / maxSeconds) * plotHeight;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="DejaVu Sans, sans-serif" font-size="13">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2 - MARGIN.right / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  ];
  for (let step = 0; step <= 5; step += 1) {
    const value = (maxSeconds * step) / 5;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 8}" y="${y(value) + 4}" text-anchor="end">${Math.round(value)}</text>`,
    );
  }
  for (let power = minLog; power <= maxLog; power += 1) {
    const n = 10 ** power;
    parts.push(
      `<line x1="${x(n)}" x2="${x(n)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#ddd"/>`,
      `<text x="${x(n)}" y="${MARGIN.top + plotHeight + 20}" text-anchor="middle">${n}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#444"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 15}" text-anchor="middle">cluster size N (nodes, log scale)</text>`,
    `<text transform="translate(20 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">time to ready (s)</text>`,
  );
  series.forEach((line, index) => {
    const sorted = [...line.points].sort((a, b) => a.n - b.n);
    const path = sorted.map((point, i) => `${i === 0 ? 'M' : 'L'}${x(point.n).toFixed(1)},${y(point.seconds).toFixed(1)}`).join(' ');
    const dash = line.dashed ? ' stroke-dasharray="6 4"' : '';
    // Values of different series at one N sit close together: each series labels on its own side.
    const label = LABEL_PLACES[index % LABEL_PLACES.length];
    parts.push(`<path d="${path}" fill="none" stroke="${line.color}" stroke-width="2.5"${dash}/>`);
    for (const point of sorted) {
      parts.push(
        `<circle cx="${x(point.n)}" cy="${y(point.seconds)}" r="4" fill="${line.color}"/>`,
        `<text x="${x(point.n) + label.dx}" y="${y(point.seconds) + label.dy}" text-anchor="${label.anchor}" font-size="11" fill="${line.color}">${point.seconds.toFixed(1)}</text>`,
      );
    }
    const legendY = MARGIN.top + 20 + index * 24;
    const legendX = WIDTH - MARGIN.right + 15;
    parts.push(
      `<line x1="${legendX}" x2="${legendX + 28}" y1="${legendY}" y2="${legendY}" stroke="${line.color}" stroke-width="2.5"${dash}/>`,
      `<text x="${legendX + 36}" y="${legendY + 4}">${escapeXml(line.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Writes `<base>.svg` and `<base>.png`; the PNG needs rsvg-convert (throws naming the package). */
export async function writePlot(series: PlotSeries[], title: string, base: string): Promise<{ svg: string; png: string }> {
  const svg = `${base}.svg`;
  const png = `${base}.png`;
  await writeFile(svg, timeToReadySvg(series, title));
  try {
    await execFileAsync('rsvg-convert', ['-f', 'png', '-o', png, svg]);
  } catch (error) {
    throw new Error(`could not render ${png} with rsvg-convert (install it: apt-get install -y librsvg2-bin): ${(error as Error).message}`);
  }
  return { svg, png };
}

function niceCeiling(value: number): number {
  const step = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  return Math.ceil((value * 1.1) / step) * step;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
