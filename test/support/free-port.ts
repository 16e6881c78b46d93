import net from 'node:net';

/**
 * A TCP port on 127.0.0.1 where nothing listens: that of a server started on port 0 and closed again. It was free
 * a moment ago; something else may take it before the caller uses it, which tests on one machine accept.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
