/**
 * The two builds of `npm start`: the server (tsc into dist/) and the web
 * client (Vite into web/dist/), each with the sources it reads. Tests and
 * benchmarks are left out: changing them needs no new build.
 */
import type { BuildTarget } from './stamps.js';

const isTest = (file: string) => /\.test\.tsx?$/.test(file) || /(^|\/)test-[^/]*\.ts$/.test(file);

export const SERVER: BuildTarget = {
  name: 'server',
  inputs: [
    'server/src',
    'shared',
    'scripts',
    'tsconfig.json',
    'tsconfig.build.json',
    'package-lock.json',
  ],
  ignore: (file) =>
    isTest(file) ||
    file.startsWith('server/src/test/') ||
    file.startsWith('scripts/bench/') ||
    !/\.(ts|mts|json)$/.test(file),
  output: 'dist/server/src/main.js',
  stamp: 'dist/.build/server.json',
};

export const WEB: BuildTarget = {
  name: 'web client',
  inputs: [
    'web/src',
    'web/public',
    'web/index.html',
    'web/vite.config.ts',
    'web/tsconfig.json',
    'shared',
    'package-lock.json',
  ],
  ignore: isTest,
  output: 'web/dist/index.html',
  stamp: 'dist/.build/web.json',
};
