// Why: `privet publish` shows a progress bar when stderr is a terminal and plain, log-friendly lines
// otherwise (CI, pipes): one line per step, and per synthesis stage rather than per tick.
import type { PublishProgress } from './publish-types.js';

/** A sink for publish progress that writes to `stream`; call `done()` when publishing ends. */
export interface ProgressReporter {
  onProgress: (event: PublishProgress) => void;
  done: () => void;
}

const WIDTH = 30;

function bar(fraction: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%`;
}

function describe(e: PublishProgress): string {
  if (e.step === 'synthesize') return `${e.view}: ${e.stage ?? 'synthesize'}`;
  const rows = e.rows === undefined ? '' : ` (${e.rows} rows)`;
  return `${e.view}: ${e.step}${rows}`;
}

/** Progress output for a terminal (`isTTY`) or for logs. */
export function progressReporter(stream: {
  isTTY?: boolean;
  write: (s: string) => unknown;
}): ProgressReporter {
  let last = '';
  let drawn = false;
  return {
    onProgress(e) {
      if (stream.isTTY) {
        const fraction = e.step === 'synthesize' ? (e.fraction ?? 0) : e.step === 'swapped' ? 1 : 0;
        const line = `  ${bar(fraction)} ${describe(e)}`;
        if (line === last) return;
        stream.write(`\r${line.padEnd(80).slice(0, 100)}`);
        drawn = true;
        last = line;
        return;
      }
      const line = describe(e);
      if (line === last) return;
      last = line;
      stream.write(`  ${line}\n`);
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}
