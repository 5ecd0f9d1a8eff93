// The exporter's HTTP side: GET /metrics (the text exposition) and GET / (a small index page), nothing
// else. Read-only by design: no route changes anything, every other path is 404 and every other method
// 405. The body never carries process arguments; only the metrics decide what is said.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { err, ok, type Result } from '../core/types.js';
import { formatListenAddress, type ListenAddress } from './listen-address.js';

export interface ScrapeSource {
  readonly contentType: string;
  scrape(): Promise<string>;
}

export interface MetricsServer {
  /** Where it listens (the port the kernel gave, if 0 was asked). */
  readonly address: ListenAddress;
  /** Starts answering /metrics; before it, /metrics answers 503 (the engine is still starting). */
  serve(source: ScrapeSource): void;
  /** Stops listening and drops open connections (keep-alive scrapers included). */
  close(): void;
}

/** Why the exporter could not listen, in words for stderr. */
export function describeListenError(address: ListenAddress, error: NodeJS.ErrnoException): string {
  const where = formatListenAddress(address);
  switch (error.code) {
    case 'EADDRINUSE':
      return `${where} is already in use (another cntop exporter, or another program); choose another with --listen ADDR:PORT`;
    case 'EADDRNOTAVAIL':
      return `${address.host} is not an address of this machine`;
    case 'EACCES':
      return `not allowed to listen on ${where} (ports below 1024 need root or CAP_NET_BIND_SERVICE)`;
    default:
      return `cannot listen on ${where}: ${error.message}`;
  }
}

const INDEX_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>cntop exporter</title></head>
<body><h1>cntop exporter</h1>
<p>Process starts and ends counted from the kernel's process connector, and the connector's health.</p>
<p><a href="/metrics">/metrics</a></p>
</body></html>
`;

/** Binds the address (before any connector is opened, so a taken port costs nothing to undo). */
export function listenForScrapes(address: ListenAddress): Promise<Result<MetricsServer, NodeJS.ErrnoException>> {
  let source: ScrapeSource | null = null;
  const server = createServer((request, response) => {
    void answer(request, response, source);
  });
  // Scrapes are small and frequent; a client that sends nothing must not hold a socket for long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException): void => resolve(err(error));
    server.once('error', onError);
    server.listen({ host: address.host, port: address.port, exclusive: true }, () => {
      server.off('error', onError);
      const bound = server.address();
      const port = typeof bound === 'object' && bound !== null ? bound.port : address.port;
      resolve(
        ok({
          address: { host: address.host, port },
          serve: (ready) => {
            source = ready;
          },
          close: () => closeServer(server),
        }),
      );
    });
  });
}

function closeServer(server: Server): void {
  server.close();
  server.closeAllConnections();
}

async function answer(request: IncomingMessage, response: ServerResponse, source: ScrapeSource | null): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  response.setHeader('X-Content-Type-Options', 'nosniff');
  if (path !== '/' && path !== '/metrics') {
    send(response, 404, 'text/plain; charset=utf-8', 'Not found: this exporter serves /metrics only.\n');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed: this exporter is read-only.\n');
    return;
  }
  if (path === '/') {
    send(response, 200, 'text/html; charset=utf-8', INDEX_PAGE, request.method === 'HEAD');
    return;
  }
  if (source === null) {
    send(response, 503, 'text/plain; charset=utf-8', 'cntop is starting: the event source is not ready yet.\n');
    return;
  }
  try {
    const body = await source.scrape();
    send(response, 200, source.contentType, body, request.method === 'HEAD');
  } catch (error) {
    send(
      response,
      500,
      'text/plain; charset=utf-8',
      `cannot collect metrics: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}

function send(response: ServerResponse, status: number, contentType: string, body: string, headOnly = false): void {
  response.statusCode = status;
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(headOnly ? undefined : body);
}
