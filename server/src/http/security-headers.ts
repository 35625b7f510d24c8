/**
 * Security headers on every response, API and pages alike (P1, P10), by
 * helmet. The Content-Security-Policy allows only Quorum's own origin: no
 * third-party script, style, font, image, frame or connection can load, so no
 * tracker can be added by accident. Socket.IO's WebSocket is covered by
 * `'self'` (CSP Level 3 matches ws:/wss: of the page's own host).
 *
 * React sets `style={...}` through the CSSOM, which CSP does not govern, so
 * style attributes need no `'unsafe-inline'`. Only Vite's development server
 * (WEB_CLIENT=vite) injects inline scripts and styles for hot reload; that
 * mode alone relaxes script-src and style-src, never production.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export interface SecurityHeaderOptions {
  /** The public URL: https turns on HSTS and upgrade-insecure-requests. */
  publicUrl: string;
  /** Vite's dev middleware serves the client and needs inline scripts and styles. */
  viteDevServer?: boolean;
}

/** Features a discussion platform never uses; denied so no embedded code can ask for them. */
export const PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=(), interest-cohort=()';

/** The CSP directives, exported so tests and docs state the same policy. */
export function cspDirectives(options: SecurityHeaderOptions): Record<string, string[] | null> {
  const https = new URL(options.publicUrl).protocol === 'https:';
  const dev = options.viteDevServer === true;
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'connect-src': ["'self'"],
    'font-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
    'img-src': ["'self'", 'data:'],
    'manifest-src': ["'self'"],
    'media-src': ["'self'"],
    'object-src': ["'none'"],
    'script-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'worker-src': ["'self'"],
    'upgrade-insecure-requests': https ? [] : null,
  };
}

/** The helmet middleware for this deployment, plus a Permissions-Policy helmet does not set. */
export function securityHeaders(options: SecurityHeaderOptions): RequestHandler {
  const https = new URL(options.publicUrl).protocol === 'https:';
  const directives = Object.fromEntries(
    Object.entries(cspDirectives(options)).filter(([, v]) => v !== null),
  ) as Record<string, string[]>;
  const guard = helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
  });
  return (req, res, next) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    guard(req, res, next);
  };
}
