/**
 * `hostInfo`: the machine the engine runs on, read from node:os and (on Linux)
 * /proc and /etc, in the shape mongod gives it, so an operator's
 * `db.hostInfo()` tells the truth about memory, cores and the system.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Document } from 'bson';
import type { CommandHandler } from './context.js';

const MB = 1024 * 1024;
/** cgroup v2 answers this (or 'max') when a container sets no memory limit. */
const CGROUP_MEMORY_MAX = '/sys/fs/cgroup/memory.max';

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `KEY=value` lines (values possibly quoted), as /etc/lsb-release and /etc/os-release hold them. */
function keyValues(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) out.set(match[1], match[2].replace(/^"(.*)"$/, '$1'));
  }
  return out;
}

/** The names mongod reports: x86_64 rather than node's x64, aarch64 rather than arm64. */
function cpuArch(): string {
  const names: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686' };
  return names[os.arch()] ?? os.arch();
}

/** The distribution, as mongod finds it: lsb-release first, else os-release, else the kernel. */
function linuxDistribution(): { name: string; version: string } {
  const lsb = keyValues(readText('/etc/lsb-release'));
  if (lsb.has('DISTRIB_ID'))
    return { name: lsb.get('DISTRIB_ID')!, version: lsb.get('DISTRIB_RELEASE') ?? '' };
  const release = keyValues(readText('/etc/os-release'));
  const name = release.get('PRETTY_NAME') ?? release.get('NAME') ?? 'Linux';
  return { name, version: `Kernel ${os.release()}` };
}

function osSection(): Document {
  const type = os.type();
  if (type === 'Linux') return { type, ...linuxDistribution() };
  if (type === 'Darwin') return { type, name: 'Mac OS X', version: os.release() };
  if (type === 'Windows_NT') return { type: 'Windows', name: os.version(), version: os.release() };
  return { type, name: os.version(), version: os.release() };
}

/** A container's memory limit (cgroup v2), else the machine's memory. */
function memLimitMB(memSizeMB: number): number {
  const limit = Number(readText(CGROUP_MEMORY_MAX)?.trim());
  return Number.isFinite(limit) && limit > 0
    ? Math.min(memSizeMB, Math.floor(limit / MB))
    : memSizeMB;
}

/** What Linux adds: kernel, libc, CPU flags, pages and the open-file limit. */
function linuxExtra(): Document {
  const extra: Document = {};
  const version = readText('/proc/version')?.trim();
  if (version) extra.versionString = version;
  const header = (process.report?.getReport() as { header?: Document } | undefined)?.header;
  if (typeof header?.glibcVersionRuntime === 'string')
    extra.libcVersion = header.glibcVersionRuntime;
  extra.kernelVersion = os.release();
  const speed = os.cpus()[0]?.speed;
  if (speed) extra.cpuFrequencyMHz = String(speed);
  const flags = /^flags\s*:\s*(.*)$/m.exec(readText('/proc/cpuinfo') ?? '')?.[1];
  if (flags) extra.cpuFeatures = flags.trim();
  const kib = /^KernelPageSize:\s+(\d+) kB/m.exec(readText('/proc/self/smaps') ?? '')?.[1];
  const pageSize = kib ? Number(kib) * 1024 : 4096;
  extra.pageSize = pageSize;
  extra.numPages = Math.floor(os.totalmem() / pageSize);
  const openFiles = /^Max open files\s+(\d+)/m.exec(readText('/proc/self/limits') ?? '')?.[1];
  if (openFiles) extra.maxOpenFiles = Number(openFiles);
  return extra;
}

export const hostInfo: CommandHandler = () => {
  const memSizeMB = Math.floor(os.totalmem() / MB);
  return {
    system: {
      currentTime: new Date(),
      hostname: os.hostname(),
      cpuAddrSize: ['x64', 'arm64', 'ppc64', 's390x', 'riscv64'].includes(os.arch()) ? 64 : 32,
      memSizeMB,
      memLimitMB: memLimitMB(memSizeMB),
      numCores: os.cpus().length,
      numCoresAvailableToProcess: os.availableParallelism(),
      cpuArch: cpuArch(),
      numaEnabled: false,
    },
    os: osSection(),
    extra: os.type() === 'Linux' ? linuxExtra() : {},
    ok: 1,
  };
};
