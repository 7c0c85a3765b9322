// A node:http server in its own process that notes when each request arrives, so that arrival
// times are not skewed by the client's event loop. GET /__arrivals returns them (ms, monotonic)
// and forgets them; any other request gets a small JSON answer.
import { createServer } from 'node:http';

let arrivals: number[] = [];
const server = createServer((req, res) => {
  if (req.url === '/__arrivals') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(arrivals));
    arrivals = [];
    return;
  }
  arrivals.push(performance.now());
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  process.send?.({ port: address.port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
