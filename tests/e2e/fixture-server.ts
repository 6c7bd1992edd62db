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
 *    `*.css` an empty stylesheet, a missing `*.woff2`/`*.woff` an empty font, so pages can
 *    reference many third-party resources; files without an extension are templated too when
 *    `_headers.json` gives them a text/css, text/html or text/javascript type (`/css2?family=…`);
 *  - an `etag` in `_headers.json` answers a matching If-None-Match with 304 (revalidation);
 *    `x-date-offset: -60` there dates the response a minute ago (a cached copy from an earlier visit);
 *  - POST requests (beacons, fetches) get 204;
 *  - `/__slow?ms=N` answers after N ms (at most 5 s): a request in flight across a page change;
 *  - `/__redirect?to=URL` redirects (302), `/__loop` redirects to itself, a folder without its
 *    trailing slash redirects to it (301);
 *  - a trailing dot in the Host header is dropped (`localhost.` serves sites/localhost/).
 * A self-signed certificate is made with openssl at start; Chromium runs with
 * --ignore-certificate-errors.
 *
 * Per-load markers: `load(name)` opens one more port for one page load. `{{PORT}}` and
 * `{{HTTPS_PORT}}` are filled with the port a request arrived on, so every request of that load
 * (documents, subresources on every host, redirect targets, beacons sent while the page unloads,
 * service-worker fetches, the extension's fetches of links found on the page) reaches the server on
 * that port, whatever the timing; the log says which (`port`). The port is the marker: no page
 * needs to carry a query value, and root-relative and script-built URLs keep it too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
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

/** One line of the access log (LogLine below); the name the Firefox and consent specs use. */
export type AccessLogEntry = LogLine;

/** What the servers received from the moment the view was opened (one per test, see AccessLog fixtures). */
export interface AccessLog {
  entries(): AccessLogEntry[];
  /** Requests per host, for comparing with a per-host tally. */
  countsByHost(): Record<string, number>;
}

export interface FixtureServer {
  httpPort: number;
  httpsPort: number;
  /** http://HOST:PORT/PATH */
  url(host: string, pathname?: string): string;
  /** https://HOST:HTTPS_PORT/PATH */
  httpsUrl(host: string, pathname?: string): string;
  /** Every request the servers received, in order. */
  log: LogLine[];
  /** A view of the log from now on (the Firefox specs: one browser, one test at a time). */
  accessLog(): AccessLog;
  /** A fresh port for one page load (see "Per-load markers" above). */
  load(name: string): Promise<PageLoad>;
  close(): Promise<void>;
}

export interface LogLine {
  host: string;
  method: string;
  path: string;
  /** The port it arrived on: the page load it belongs to. */
  port: number;
  /** The Origin header (`chrome-extension://…` for the extension's own fetches), '' when absent. */
  origin: string;
  /** Sec-Fetch-Site / -Mode / -Dest ('' when absent): who asked, and for what. */
  fetchSite: string;
  fetchMode: string;
  fetchDest: string;
  /** The Accept header. */
  accept: string;
  /** The Set-Cookie lines the server answered with. */
  setCookie: string[];
  status: number;
  /** Came in over TLS. */
  secure: boolean;
  /** Epoch ms of arrival (the consent audit compares it with the click time). */
  at: number;
}

export interface PageLoad {
  name: string;
  port: number;
  /** http://HOST:PORT/PATH on this load's port. */
  url(host: string, pathname?: string): string;
  /** https://HOST:PORT/PATH on this load's port. */
  httpsUrl(host: string, pathname?: string): string;
  /** The log lines of this load so far. */
  lines(): LogLine[];
}

function makeCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), 'dsa-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=fixture.test',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
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

export interface FixtureServerOptions {
  /** Where the sites live (one folder per hostname); default tests/fixtures/sites. The recognition
   * evaluation serves its own web from tests/fixtures/recognition/sites. */
  sitesDir?: string;
}

export async function startFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const sitesDir = path.resolve(options.sitesDir ?? SITES_DIR);
  const ports = { http: 0, https: 0 };
  const log: FixtureServer['log'] = [];

  const handler: http.RequestListener = (req, res) => {
    // `localhost.` is `localhost` (an absolute name, RFC 1034 §3.1).
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/\.+$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', 'http://x');
    const port = req.socket.localPort ?? ports.http;
    const line: LogLine = {
      host,
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      port,
      origin: String(req.headers.origin ?? ''),
      fetchSite: String(req.headers['sec-fetch-site'] ?? ''),
      fetchMode: String(req.headers['sec-fetch-mode'] ?? ''),
      fetchDest: String(req.headers['sec-fetch-dest'] ?? ''),
      accept: String(req.headers.accept ?? ''),
      setCookie: [],
      status: 0,
      secure: req.socket instanceof tls.TLSSocket,
      at: Date.now(),
    };
    log.push(line);
    const writeHead = res.writeHead.bind(res) as (
      status: number,
      headers?: http.OutgoingHttpHeaders,
    ) => http.ServerResponse;
    res.writeHead = ((status: number, headers?: http.OutgoingHttpHeaders) => {
      line.status = status;
      const cookies = headers?.['set-cookie'];
      if (cookies !== undefined) line.setCookie = Array.isArray(cookies) ? cookies.map(String) : [String(cookies)];
      return writeHead(status, headers);
    }) as typeof res.writeHead;
    req.resume();
    if (url.pathname === '/__redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
      return;
    }
    if (url.pathname === '/__slow') {
      // Answered after `ms` (at most 5 s): a request still in flight when the page changes.
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('ok'),
        Math.min(Number(url.searchParams.get('ms')) || 0, 5000),
      );
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
    const siteDir = path.join(sitesDir, host);
    // Host names are made up by our own fixtures; still refuse anything that leaves the sites folder.
    if (!host || host.includes('..') || !siteDir.startsWith(sitesDir)) {
      res.writeHead(400).end();
      return;
    }
    let pathname = decodeURIComponent(url.pathname);
    // A folder asked for without its slash is redirected to it (301), as Apache and nginx do.
    const folder = path.join(siteDir, pathname);
    if (!pathname.endsWith('/') && folder.startsWith(siteDir) && existsSync(path.join(folder, 'index.html'))) {
      res.writeHead(301, { location: `${url.pathname}/${url.search}` }).end();
      return;
    }
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = path.join(siteDir, pathname);
    const ext = path.extname(pathname).toLowerCase();
    const headers: Record<string, string | string[]> = {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...(loadHeaders(siteDir)[pathname] ?? {}),
    };
    // `x-date-offset` (seconds, _headers.json): the Date header is that far from now, so a cache hit
    // of the resource is dated in the past as it would be on a later visit (lib/tally/from-cache.ts).
    const offset = headers['x-date-offset'];
    if (offset !== undefined) {
      delete headers['x-date-offset'];
      headers.date = new Date(Date.now() + Number(offset) * 1000).toUTCString();
    }
    // A revalidation of an unchanged resource (its _headers.json entry gives an ETag): 304, no body.
    const etag = headers.etag;
    if (typeof etag === 'string' && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, 'cache-control': String(headers['cache-control'] ?? 'no-cache') }).end();
      return;
    }
    if (file.startsWith(siteDir) && existsSync(file) && statSync(file).isFile()) {
      let body: Buffer | string = readFileSync(file);
      if (TEMPLATED.has(ext) || /^text\/(css|html|javascript)/.test(String(headers['content-type']))) {
        body = body.toString('utf8').replaceAll('{{PORT}}', String(port)).replaceAll('{{HTTPS_PORT}}', String(port));
      }
      res.writeHead(200, headers).end(body);
      return;
    }
    const accept = String(req.headers.accept ?? '');
    if (ext === '.gif' || ext === '.png' || (!ext && accept.startsWith('image/')))
      return void res.writeHead(200, { ...headers, 'content-type': 'image/gif' }).end(GIF);
    if (ext === '.js' || ext === '.css') return void res.writeHead(200, headers).end('');
    if (ext === '.woff2' || ext === '.woff')
      return void res
        .writeHead(200, { ...headers, 'content-type': `font/${ext.slice(1)}`, 'access-control-allow-origin': '*' })
        .end('');
    if (!ext && accept.startsWith('text/css'))
      return void res.writeHead(200, { ...headers, 'content-type': TYPES['.css'] }).end('');
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };

  // Request lines and headers up to 1 MB (Node's default is 16 kB): the storage-budget page sends
  // 100 kB URLs, and they must reach the log like any other request.
  const httpServer = http.createServer({ maxHeaderSize: 1_048_576 }, handler);
  const httpsServer = https.createServer({ ...makeCertificate(), maxHeaderSize: 1_048_576 }, handler);
  const sockets = new Set<net.Socket>();
  const fronts: net.Server[] = [];
  const openPort = async (): Promise<number> => {
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
    fronts.push(front);
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    return (front.address() as AddressInfo).port;
  };
  ports.http = ports.https = await openPort();

  return {
    httpPort: ports.http,
    httpsPort: ports.https,
    url: (host, pathname = '/') => `http://${host}:${ports.http}${pathname}`,
    httpsUrl: (host, pathname = '/') => `https://${host}:${ports.https}${pathname}`,
    log,
    accessLog: () => {
      const from = log.length;
      const entries = () => log.slice(from);
      return {
        entries,
        countsByHost: () => {
          const counts: Record<string, number> = {};
          for (const e of entries()) counts[e.host] = (counts[e.host] ?? 0) + 1;
          return counts;
        },
      };
    },
    async load(name) {
      const port = await openPort();
      return {
        name,
        port,
        url: (host, pathname = '/') => `http://${host}:${port}${pathname}`,
        httpsUrl: (host, pathname = '/') => `https://${host}:${port}${pathname}`,
        lines: () => log.filter((l) => l.port === port),
      };
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return Promise.all(fronts.map((front) => new Promise<void>((r) => front.close(() => r())))).then(() => undefined);
    },
  };
}
