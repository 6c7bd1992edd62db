/**
 * The fixture web: one HTTP and one HTTPS server on 127.0.0.1 that serve many made-up sites by
 * Host header from tests/fixtures/sites/<hostname>/. Chromium reaches them through
 * `--host-resolver-rules=MAP * 127.0.0.1, EXCLUDE localhost` (ports are kept).
 *
 * HTTP and HTTPS share one port (the first byte of a connection tells a TLS handshake from a
 * plain request), because Chromium upgrades HSTS-preloaded hosts such as www.google-analytics.com
 * or connect.facebook.net from http to https on the same port.
 *
 * Conventions (tests/fixtures/README.md):
 *  - `{{PORT}}` and `{{HTTPS_PORT}}` in .html/.js/.css files are replaced by the servers' ports;
 *  - `<site>/_headers.json` maps a path to extra response headers (e.g. Set-Cookie lists);
 *  - a missing `*.gif`/`*.png` is a 1x1 GIF, a missing `*.js` an empty script, a missing
 *    `*.css` an empty stylesheet, so pages can reference many third-party resources;
 *  - POST requests (beacons, fetches) get 204;
 *  - `/__redirect?to=URL` redirects (302), `/__loop` redirects to itself;
 *  - a trailing dot in the Host header is dropped (`localhost.` serves sites/localhost/).
 * A self-signed certificate is made with openssl at start; Chromium runs with
 * --ignore-certificate-errors.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const SITES_DIR = path.resolve(import.meta.dirname, '../fixtures/sites');

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.gif': 'image/gif',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};
const TEMPLATED = new Set(['.html', '.js', '.css']);

export interface FixtureServer {
  httpPort: number;
  httpsPort: number;
  /** http://HOST:PORT/PATH */
  url(host: string, pathname?: string): string;
  /** https://HOST:HTTPS_PORT/PATH */
  httpsUrl(host: string, pathname?: string): string;
  /** Every request the servers received, in order (host, method, path). */
  log: Array<{ host: string; method: string; path: string }>;
  close(): Promise<void>;
}

function makeCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), 'dsa-cert-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=fixture.test',
        '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function loadHeaders(siteDir: string): Record<string, Record<string, string | string[]>> {
  const file = path.join(siteDir, '_headers.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const ports = { http: 0, https: 0 };
  const log: FixtureServer['log'] = [];

  const handler: http.RequestListener = (req, res) => {
    // `localhost.` is `localhost` (an absolute name, RFC 1034 §3.1).
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/\.+$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', 'http://x');
    log.push({ host, method: req.method ?? 'GET', path: url.pathname + url.search });
    req.resume();
    if (url.pathname === '/__redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
      return;
    }
    if (url.pathname === '/__loop') {
      res.writeHead(302, { location: `/__loop?n=${Number(url.searchParams.get('n') ?? 0) + 1}` }).end();
      return;
    }
    if (req.method === 'POST') {
      res.writeHead(204, { 'access-control-allow-origin': '*' }).end();
      return;
    }
    const siteDir = path.join(SITES_DIR, host);
    // Host names are made up by our own fixtures; still refuse anything that leaves SITES_DIR.
    if (!host || host.includes('..') || !siteDir.startsWith(SITES_DIR)) {
      res.writeHead(400).end();
      return;
    }
    let pathname = decodeURIComponent(url.pathname);
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = path.join(siteDir, pathname);
    const ext = path.extname(pathname).toLowerCase();
    const headers: Record<string, string | string[]> = {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...(loadHeaders(siteDir)[pathname] ?? {}),
    };
    if (file.startsWith(siteDir) && existsSync(file) && statSync(file).isFile()) {
      let body: Buffer | string = readFileSync(file);
      if (TEMPLATED.has(ext)) {
        body = body
          .toString('utf8')
          .replaceAll('{{PORT}}', String(ports.http))
          .replaceAll('{{HTTPS_PORT}}', String(ports.https));
      }
      res.writeHead(200, headers).end(body);
      return;
    }
    const accept = String(req.headers.accept ?? '');
    if (ext === '.gif' || ext === '.png' || (!ext && accept.startsWith('image/'))) return void res.writeHead(200, { ...headers, 'content-type': 'image/gif' }).end(GIF);
    if (ext === '.js' || ext === '.css') return void res.writeHead(200, headers).end('');
    if (!ext && accept.startsWith('text/css')) return void res.writeHead(200, { ...headers, 'content-type': TYPES['.css'] }).end('');
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };

  const httpServer = http.createServer(handler);
  const httpsServer = https.createServer(makeCertificate(), handler);
  const sockets = new Set<net.Socket>();
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', (first) => {
      socket.pause();
      socket.unshift(first);
      // 0x16: TLS handshake record.
      (first[0] === 0x16 ? httpsServer : httpServer).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  ports.http = ports.https = (front.address() as AddressInfo).port;

  return {
    httpPort: ports.http,
    httpsPort: ports.https,
    url: (host, pathname = '/') => `http://${host}:${ports.http}${pathname}`,
    httpsUrl: (host, pathname = '/') => `https://${host}:${ports.https}${pathname}`,
    log,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((r) => front.close(() => r()));
    },
  };
}
