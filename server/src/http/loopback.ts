/**
 * What counts as "this machine": the loopback addresses a development server
 * listens on by default, and the requests that really come from a developer
 * sitting at it. Development-only tools that show everyone's data (the dev
 * outbox) are reachable by such requests alone.
 */
import type { Request } from 'express';
import { BlockList, isIP } from 'node:net';
import type { Config } from '../config.js';
import { DEMO_PASSWORD } from '../../../scripts/seed/people.js';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8 and ::1, also as IPv4 mapped into IPv6 (as a dual-stack socket reports it). */
export function isLoopbackAddress(address: string | undefined): boolean {
  const family = address === undefined ? 0 : isIP(address);
  return family !== 0 && LOOPBACK.check(address!, family === 4 ? 'ipv4' : 'ipv6');
}

/** A listening or Host name that can only mean this machine: a loopback IP or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}

/** Headers a reverse proxy adds: a request carrying them was relayed from somewhere else. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'];

/**
 * Whether a request comes from this machine: the TCP peer is a loopback address
 * (the socket's own address, never `req.ip`, which `trust proxy` lets a
 * header decide), no proxy relayed it, and its Host names this machine (or
 * the public URL), so a web page whose domain is rebound to 127.0.0.1 cannot
 * read through the developer's browser.
 */
export function isLocalRequest(req: Request, publicUrl: string): boolean {
  if (!isLoopbackAddress(req.socket.remoteAddress)) return false;
  if (FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined)) return false;
  const host = req.headers.host;
  if (host === undefined) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return isLoopbackHost(hostname) || hostname === new URL(publicUrl).hostname;
}

/**
 * The start-up warning for a server that others can reach while the demo,
 * whose password is public, may be in its database; null when there is none.
 */
export function demoExposureWarning(
  config: Pick<Config, 'host' | 'seedDemo' | 'nodeEnv'>,
): string | null {
  if (!config.seedDemo || config.nodeEnv === 'test' || isLoopbackHost(config.host)) return null;
  return (
    `HOST=${config.host} lets other machines reach Quorum, and the demo accounts' password is ` +
    `public ("${DEMO_PASSWORD}"): anyone who can connect can sign in as them. Keep HOST on ` +
    'loopback (127.0.0.1, the development default), or set SEED_DEMO=false and start from a ' +
    'database without the demo.'
  );
}
