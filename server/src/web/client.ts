/**
 * Serves the web client from the same origin as the API and sockets: the
 * built `web/dist` in production (hashed assets cached for a year, every
 * other page path answered with index.html so the client routes it), or
 * Vite's middleware in development, with hot reload over this HTTP server.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';

export interface WebClient {
  handler: RequestHandler;
  close(): Promise<void>;
}

/** The repository root: the nearest folder above this file with Quorum's package.json. */
export function repoRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'quorum') return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('web client: cannot find the repository root');
    dir = parent;
  }
}

/** Paths the client never owns: the API and Socket.IO answer for themselves. */
function isServerPath(url: string): boolean {
  return url.startsWith('/api/') || url === '/api' || url.startsWith('/socket.io');
}

function fromDist(distDir: string): WebClient {
  const indexFile = path.join(distDir, 'index.html');
  const assets = express.static(distDir, {
    index: false,
    setHeaders: (res, file) => {
      const hashed = file.startsWith(path.join(distDir, 'assets') + path.sep);
      res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const page: RequestHandler = (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isServerPath(req.path)) return next();
    if (!existsSync(indexFile)) {
      res
        .status(503)
        .type('text/plain')
        .send('The web client is not built yet: run `npm run build` (or `npm start`).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  };
  const handler: RequestHandler = (req, res, next) => {
    if (isServerPath(req.path)) return next();
    void assets(req, res, (error?: unknown) => (error ? next(error) : page(req, res, next)));
  };
  return { handler, close: () => Promise.resolve() };
}

async function fromVite(root: string, httpServer: Server): Promise<WebClient> {
  const { createServer } = await import('vite');
  const vite = await createServer({
    configFile: path.join(root, 'web', 'vite.config.ts'),
    server: { middlewareMode: true, hmr: { server: httpServer } },
    appType: 'spa',
  });
  const handler: RequestHandler = (req, res, next) => {
    if (isServerPath(req.path)) return next();
    vite.middlewares(req, res, next);
  };
  return { handler, close: () => vite.close() };
}

/** The web client as configured; `none` serves nothing (API-only deployments). */
export async function startWebClient(
  mode: 'dist' | 'vite' | 'none',
  httpServer: Server,
): Promise<WebClient | null> {
  if (mode === 'none') return null;
  const root = repoRoot();
  return mode === 'vite' ? fromVite(root, httpServer) : fromDist(path.join(root, 'web', 'dist'));
}
