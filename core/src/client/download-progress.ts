/** The status text of a view download, as both notebook hosts show it. */
import type { DownloadProgress } from './fetch-like.js';

/** A byte count as people read it: whole kB below a megabyte, else MB with one decimal. */
const size = (bytes: number): string =>
  bytes < 1_000_000 ? `${Math.round(bytes / 1000)} kB` : `${(bytes / 1_000_000).toFixed(1)} MB`;

/**
 * Reports a view download's progress as "Loading NAME from the gateway… 12.3 of 45.0 MB" to
 * `report`, only when the shown text changes (a download arrives in many small chunks).
 */
export function downloadProgress(view: string, report: (text: string) => void): DownloadProgress {
  let last = '';
  return (received, total) => {
    const amount = total === undefined ? size(received) : `${size(received)} of ${size(total)}`;
    const text = `Loading ${view} from the gateway… ${amount}`;
    if (text === last) return;
    last = text;
    report(text);
  };
}
