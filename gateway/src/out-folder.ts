/** Checks an output file's folder before any work, so a bad --out fails before anything is done. */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What is wrong with the folder `out` would be written in ("does not exist", …), or undefined. */
export async function outputFolderProblem(out: string): Promise<string | undefined> {
  const folder = dirname(out);
  return stat(folder).then(
    (st) =>
      st.isDirectory()
        ? access(folder, constants.W_OK).then(
            () => undefined,
            () => 'is not writable',
          )
        : 'is not a folder',
    () => 'does not exist',
  );
}
