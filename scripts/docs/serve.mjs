// `npm run docs:serve`: the built site as a static host should serve it, on 127.0.0.1. Clean URLs
// (`/guides/x` is `guides/x.html`, `/x/` is `x/index.html`), the site's 404 page, and each file's
// pre-compressed copy (`.br`, else `.gz`, written by compress.mjs) when the browser accepts it,
// with Content-Encoding and Vary set. `--dir DIR` serves another build, `--port N` another port.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

const isFile = (path) => existsSync(path) && statSync(path).isFile();

/** The file a URL path names inside `dir`, or undefined. */
function fileFor(dir, pathname) {
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
  if (!file.startsWith(dir + sep)) return undefined;
  if (isFile(file)) return file;
  if (isFile(`${file}.html`)) return `${file}.html`;
  return undefined;
}

/** The encodings a request accepts, from its Accept-Encoding (q=0 refuses one). */
function accepted(header = '') {
  const out = new Set();
  for (const part of String(header).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))) out.add(name);
  }
  return out;
}

/** A request handler serving the built site in `dir`. */
export function docsHandler(dir) {
  const root = resolve(dir);
  return (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const file = fileFor(root, pathname);
    const status = file ? 200 : 404;
    const served = file ?? join(root, '404.html');
    const headers = { 'content-type': TYPES[extname(served)] ?? 'application/octet-stream', 'cache-control': served.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache', vary: 'accept-encoding' };
    const encodings = accepted(req.headers['accept-encoding']);
    let body = served;
    for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']]) {
      if (encodings.has(encoding) && isFile(served + suffix)) {
        body = served + suffix;
        headers['content-encoding'] = encoding;
        break;
      }
    }
    const bytes = isFile(body) ? readFileSync(body) : Buffer.from('Not found');
    headers['content-length'] = String(bytes.length);
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : bytes);
  };
}

/** Starts the server; resolves with its URL and a close function. */
export function serveDocs(dir, { port = 0, host = '127.0.0.1' } = {}) {
  const server = createServer(docsHandler(dir));
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      done({
        url: `http://${host}:${bound}`,
        close: () => {
          server.closeAllConnections();
          return new Promise((closed) => server.close(() => closed()));
        },
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const dir = resolve(option('--dir', join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', '.vitepress', 'dist')));
  if (!isFile(join(dir, 'index.html'))) {
    console.error(`No built site in ${dir}: run \`npm run docs\` first.`);
    process.exit(1);
  }
  const { url } = await serveDocs(dir, { port: Number(option('--port', 4173)) });
  console.log(`docs: serving ${dir} on ${url} (pre-compressed files when the browser accepts them; Ctrl-C stops)`);
}
