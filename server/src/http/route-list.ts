/**
 * The routes an Express 5 app really serves, read from its router stack: the
 * source of truth for the API reference (`scripts/api-docs.ts`) and for any
 * test that must cover every route, so neither can miss a route or list one
 * that no longer exists.
 */
import type { Express } from 'express';

/** One method on one path, with the handlers Express runs for it, in order. */
export interface RouteEntry {
  /** Upper case: `GET`, `POST`, ...; `ALL` for `router.all`. */
  method: string;
  /** The full path as declared, parameters included: `/api/groups/:group/members`. */
  path: string;
  /** The route's handler functions (not the middleware mounted before it). */
  handlers: ((...args: never[]) => unknown)[];
}

/** The parts of router 2.x's layers this walk reads; not exported by Express's types. */
interface Layer {
  rawPath?: unknown;
  handle: ((...args: never[]) => unknown) & { stack?: Layer[] };
  method?: string;
  route?: { path: unknown; stack: Layer[] };
}

/** Joins a mount prefix and a path, without doubled or trailing slashes. */
export function joinPath(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

function declaredPath(value: unknown, where: string): string {
  if (typeof value !== 'string') {
    throw new Error(`route-list: ${where} is mounted on a pattern, not a string path`);
  }
  return value;
}

function walk(stack: Layer[], prefix: string, out: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const path = joinPath(prefix, declaredPath(layer.route.path, prefix || '/'));
      for (const inner of layer.route.stack) {
        const method = (inner.method ?? 'all').toUpperCase();
        const existing = out.find((r) => r.method === method && r.path === path);
        if (existing) existing.handlers.push(inner.handle);
        else out.push({ method, path, handlers: [inner.handle] });
      }
    } else if (Array.isArray(layer.handle.stack)) {
      const mount = layer.rawPath === undefined ? '/' : declaredPath(layer.rawPath, prefix || '/');
      walk(layer.handle.stack, joinPath(prefix, mount), out);
    }
  }
}

/**
 * Every route of the app, in the order Express matches them. Plain middleware
 * (body parsing, authentication, error handlers) is not a route and is left
 * out; routers mounted on regular expressions are refused, since their paths
 * cannot be listed.
 */
export function listRoutes(app: Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  walk((app.router as unknown as { stack: Layer[] }).stack, '', out);
  return out;
}
