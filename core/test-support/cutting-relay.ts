/**
 * A TCP relay between a link's client and its server that can cut the link: it passes bytes both
 * ways and destroys both sides once `limit` bytes have passed (a cut at a byte count), or when
 * `cut()` is called (a cut at a moment the test chose, such as between two frames it saw land).
 */
import { createServer, connect as connectTcp, type Socket } from 'node:net';

export interface CuttingRelay {
  readonly port: number;
  /** Cuts every connection through the relay now. */
  cut(): void;
  close(): Promise<void>;
}

export async function cuttingRelay(target: number, limit = Infinity): Promise<CuttingRelay> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connectTcp(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    let passed = 0;
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    const pass = (to: Socket) => (chunk: Buffer) => {
      const room = limit - passed;
      passed += chunk.length;
      if (room > 0) to.write(room >= chunk.length ? chunk : chunk.subarray(0, room));
      if (passed >= limit) cut();
    };
    client.on('data', pass(upstream));
    upstream.on('data', pass(client));
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const cutAll = () => {
    for (const s of sockets) s.destroy();
  };
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut: cutAll,
    close: () => {
      cutAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
