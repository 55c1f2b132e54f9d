/**
 * Progress of one cell run in the status bar (VS Code's window progress), e.g. a view download's
 * "Loading NAME from the gateway… 12.3 of 45.0 MB": shown from its first report until the run
 * ends, so quick runs show nothing.
 */
import * as vscode from 'vscode';

/** A cell run's progress: `report` shows a text, `end` takes the progress away. */
export interface RunProgress {
  report(text: string): void;
  end(): void;
}

/** Starts the progress of one cell run (nothing is shown until the first report). */
export function runProgress(): RunProgress {
  let shown: vscode.Progress<{ message?: string }> | undefined;
  let latest = '';
  let started = false;
  let finish: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  return {
    report(text) {
      latest = text;
      if (shown) {
        shown.report({ message: text });
        return;
      }
      if (started) return; // the first report is shown once the progress opens
      started = true;
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Privet' },
        (progress) => {
          shown = progress;
          progress.report({ message: latest });
          return ended;
        },
      );
    },
    end: finish,
  };
}
