import cliProgress from 'cli-progress';
import { answeredTotal, lostTotal, type LoadCounts } from './driver.js';

export interface Progress {
  update(counts: LoadCounts): void;
  stop(counts: LoadCounts): void;
}

/**
 * A progress bar on a TTY; elsewhere (CI logs, pipes) nothing while running and one plain line at
 * the end, so logs stay readable.
 */
export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY !== true) {
    return {
      update() {},
      stop(counts) {
        stream.write(`load: ${answeredTotal(counts)}/${total} answered, ${lostTotal(counts)} lost, in ${(counts.durationMs / 1000).toFixed(1)} s\n`);
      },
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'bookings [{bar}] {value}/{total} | {percentage}% | {eta_formatted} left | errors {errors}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { errors: 0 });
  const errors = (c: LoadCounts): number =>
    lostTotal(c) + Object.entries(c.answered).reduce((n, [status, count]) => (Number(status) >= 400 ? n + count : n), 0);
  return {
    update(counts) {
      bar.update(answeredTotal(counts) + lostTotal(counts), { errors: errors(counts) });
    },
    stop(counts) {
      bar.update(answeredTotal(counts) + lostTotal(counts), { errors: errors(counts) });
      bar.stop();
    },
  };
}
