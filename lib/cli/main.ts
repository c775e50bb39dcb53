import { toFerError } from '../engine/errors.js';
import { analyzeCommand, ANALYZE_USAGE } from './analyze.js';
import { UsageError } from './args.js';
import { evalCommand, EVAL_USAGE } from './evaluate.js';
import { infoCommand } from './info.js';
import { SERVE_USAGE } from './serve-usage.js';

export const USAGE = [
  'fer: facial expression recognition (OpenCV Haar faces + Mini-XCEPTION, FER2013)',
  '',
  ANALYZE_USAGE,
  EVAL_USAGE,
  'usage: fer info',
  SERVE_USAGE,
  '',
  'exit codes: 0 every input analysed, 1 an input failed, 2 usage error',
].join('\n');

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  analyze: analyzeCommand,
  eval: evalCommand,
  info: infoCommand,
  // Loaded on demand: the emulators and the AWS SDK are not needed by the other commands.
  serve: async (args) => (await import('./serve.js')).serveCommand(args),
};

/** Runs the CLI and returns its exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (command ? process.stdout : process.stderr).write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    return await run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`fer: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    const { code, message } = toFerError(error);
    process.stderr.write(`fer: error ${code}: ${message}\n`);
    return 1;
  }
}
