/**
 * IP addresses are masked before they reach the database (P4): IPv4 keeps its
 * first three octets, IPv6 its first 48 bits. Raw addresses live only in the
 * rotating access log.
 */
import { isIPv4, isIPv6 } from 'node:net';

export function maskIp(ip: string | undefined | null): string | null {
  if (!ip) return null;
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(v4)) return v4.split('.').slice(0, 3).concat('0').join('.');
  if (!isIPv6(ip)) return null;
  const [head, tail = ''] = ip.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const groups = [
    ...headParts,
    ...Array<string>(8 - headParts.length - tailParts.length).fill('0'),
    ...tailParts,
  ];
  return `${groups
    .slice(0, 3)
    .map((g) => parseInt(g || '0', 16).toString(16))
    .join(':')}::`;
}
