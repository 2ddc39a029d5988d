import { parseLoadArgs, LOAD_USAGE, UsageError } from './args.js';
import { checkProblems, formatReport, runLoadAndReport } from './report.js';
import { describeCounts } from './driver.js';

/** `pnpm load --url http://127.0.0.1:3000 -n 300 -c 16 [--seed S] [--json] [--check]` */
async function main(): Promise<void> {
  const args = parseLoadArgs(process.argv.slice(2).filter((a) => a !== '--'));
  if (args === 'help') {
    process.stdout.write(`${LOAD_USAGE}\n`);
    return;
  }
  const report = await runLoadAndReport(args);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatReport(report)}\nDriver: ${describeCounts(report.counts)}\n`);
  }
  const problems = args.check ? checkProblems(report) : [];
  if (problems.length > 0) {
    process.stderr.write(`load check failed: ${problems.join('; ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof UsageError ? error.message : `load failed: ${error instanceof Error ? error.message : String(error)}`}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
