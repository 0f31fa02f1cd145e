// A TCP relay on 127.0.0.1 between one device and the server, which the test can cut and
// restore: that device is offline while the others stay online. TLS passes through untouched
// (the device pins the server's certificate, not an address).
import net from 'node:net';

export async function relay(targetPort) {
  const sockets = new Set();
  let server;
  let port = 0;
  const listen = () =>
    new Promise((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(targetPort, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = server.address().port;
        resolve();
      });
    });
  await listen();
  return {
    get url() {
      return `https://127.0.0.1:${port}`;
    },
    /** Every open connection dropped, nothing accepted until `restore`. */
    async cut() {
      await new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    restore: listen,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
