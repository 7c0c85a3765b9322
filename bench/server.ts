// The benchmark's resource server, in its own process so that it does not share the client's
// event loop: a keep-alive node:http server answering a small JSON body to bearer requests.
import { createServer } from 'node:http';

const body = JSON.stringify({ orders: [{ id: 1, status: 'open' }] });
const server = createServer((req, res) => {
  if (req.headers.authorization === undefined) {
    res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
    return;
  }
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  process.send?.({ port: address.port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
