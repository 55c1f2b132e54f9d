/**
 * An HTTP proxy in front of the test gateway that keeps chosen calls waiting (a slow or silent
 * gateway, as the extension sees it) until released, or two minutes passed; everything else goes
 * straight through.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running proxy: its URL, how many calls it kept waiting, and how to let them through. */
export interface HoldingProxy {
  url: string;
  /** How many calls the proxy kept waiting so far. */
  heldCalls: () => number;
  /** Lets every waiting call, and every later one, through. */
  release: () => void;
  close: () => Promise<void>;
}

/** Starts a proxy to `target` that keeps each call whose path `holds` accepts waiting. */
export async function holdingProxy(
  target: string,
  holds: (path: string) => boolean,
): Promise<HoldingProxy> {
  let heldCalls = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (holds(req.url ?? '/')) {
        heldCalls += 1;
        await Promise.race([released, new Promise((r) => setTimeout(r, 120_000))]);
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers as IncomingHttpHeaders))
        if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k))
          headers[k] = v;
      const method = req.method ?? 'GET';
      const answer = await fetch(target + (req.url ?? '/'), {
        method,
        headers,
        body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks),
      });
      const body = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      res.end(body);
    })().catch(() => {
      res.writeHead(502);
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    heldCalls: () => heldCalls,
    release,
    close: () =>
      new Promise<void>((resolve) => {
        release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
