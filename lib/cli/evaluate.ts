/** `fer eval <dir> [--profile P] [--json]`: accuracy on a FER2013-style folder of face crops. */
import { capitalize } from '../engine/labels.js';
import { evaluate, type EvalReport } from '../engine/evaluate.js';
import { parse, UsageError } from './args.js';
import { parseProfile } from './analyze.js';
import { progressBar } from './output.js';

export const EVAL_USAGE = 'usage: fer eval <dir> [--profile reference|fast|accurate] [--json]';

const percent = (v: number) => `${(v * 100).toFixed(2)}%`;

export function formatReport(report: EvalReport): string {
  const lines = [`${report.n} faces, profile ${report.profile} (${report.modelId}): accuracy ${percent(report.accuracy)}`, ''];
  lines.push(`${'label'.padEnd(10)}${'n'.padStart(6)}${'precision'.padStart(11)}${'recall'.padStart(9)}`);
  for (const label of report.labels) {
    const { n, precision, recall } = report.perClass[label];
    lines.push(`${capitalize(label).padEnd(10)}${String(n).padStart(6)}${percent(precision).padStart(11)}${percent(recall).padStart(9)}`);
  }
  lines.push('', `confusion (rows: actual, columns: predicted)`);
  lines.push(`${''.padEnd(10)}${report.labels.map((l) => l.slice(0, 7).padStart(9)).join('')}`);
  report.confusion.forEach((row, i) => {
    lines.push(`${report.labels[i].padEnd(10)}${row.map((v) => String(v).padStart(9)).join('')}`);
  });
  return lines.join('\n');
}

export async function evalCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { profile: { type: 'string' }, json: { type: 'boolean', default: false } });
  if (positionals.length !== 1) throw new UsageError('fer eval needs exactly one directory');
  const profile = parseProfile(values.profile);
  const bar = progressBar(process.stderr, `eval ${profile}`);
  const report = await evaluate(positionals[0], profile, (done, total) => bar.update(done, total));
  bar.end();
  if (values.json) {
    const { n, accuracy, labels, perClass, confusion, modelId } = report;
    process.stdout.write(`${JSON.stringify({ n, accuracy, labels, perClass, confusion, profile, modelId })}\n`);
  } else {
    process.stdout.write(`${formatReport(report)}\n`);
  }
  return 0;
}
