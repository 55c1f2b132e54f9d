// Why: a rename is atomic but not durable by itself. After a power cut the renamed folder can come
// back holding files whose data never reached the disk (a truncated data.arrows or manifest.json),
// and a rename or unlink can be undone. So every staged file and its folder are fsynced once before
// they are swapped in, and the views folder after the renames. One fsync per file, not per write.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir, fsyncFile } from '../durable-file.js';

/** Flushes every file of a staged view folder (one level; views have no subfolders), then the folder. */
export function fsyncStaged(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }))
    if (entry.isFile()) fsyncFile(join(dir, entry.name));
  fsyncDir(dir);
}
