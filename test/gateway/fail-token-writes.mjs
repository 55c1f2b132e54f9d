// Test helper, loaded into a `privet` child with NODE_OPTIONS=--import: every write to a temp copy
// of tokens.json fails with the error code in PRIVET_TEST_WRITE_ERROR (ENOSPC, SQLITE_FULL…), as
// on a full disk. Plain JavaScript, as it loads before tsx.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const code = process.env.PRIVET_TEST_WRITE_ERROR;
if (code) {
  const doomed = new Set();
  const { openSync, writeSync } = fs;
  fs.openSync = (path, ...rest) => {
    const fd = openSync(path, ...rest);
    if (/tokens\.json\.[0-9a-f-]{36}\.tmp$/.test(String(path))) doomed.add(fd);
    return fd;
  };
  fs.writeSync = (fd, ...rest) => {
    if (!doomed.has(fd)) return writeSync(fd, ...rest);
    const error = new Error(`${code}: the disk is full (injected by a test), write`);
    error.code = code;
    error.syscall = 'write';
    throw error;
  };
  syncBuiltinESMExports();
}
