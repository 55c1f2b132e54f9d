/**
 * Child-process helpers for the UI tests' global setup: a free port, waiting for a line or a URL
 * with a deadline, and stopping a child (SIGTERM, then SIGKILL) — every wait is bounded.
 */
import { createServer } from 'node:net';
import type { ChildProcess } from 'node:child_process';

/** A free TCP port on 127.0.0.1 (bound then released; the caller binds it right away). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Keeps the last `max` characters a child wrote (for error messages). */
export function captureOutput(child: ChildProcess, max = 8000): () => string {
  let text = '';
  const add = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-max);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => text;
}

/** Resolves with the first stdout line starting with `prefix` (without it); rejects on exit or timeout. */
export function waitForLine(
  child: ChildProcess,
  prefix: string,
  timeoutMs: number,
  what: string,
  log: () => string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what} did not start within ${timeoutMs / 1000} s. Output:\n${log()}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const line = lines.find((l) => l.startsWith(prefix));
      if (line !== undefined) {
        cleanup();
        resolve(line.slice(prefix.length));
      }
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`${what} exited (code ${code}) before it was ready. Output:\n${log()}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.on('exit', onExit);
  });
}

/** Polls `url` until it answers 200; rejects when the child exits or the deadline passes. */
export async function waitForHttp(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  what: string,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `${what} exited (code ${child.exitCode}) before it was ready. Output:\n${log()}`,
      );
    }
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs / 1000} s. Output:\n${log()}`);
}

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
