import { expect } from 'chai';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * shared/ is compiled into both the server and the browser bundle, so it may
 * not import from either. The repository's ESLint config enforces that; this
 * test proves the rule fires. Type-aware rules are switched off because the
 * probe file exists only in memory.
 */
describe('shared/ import boundary', () => {
  const eslint = new ESLint({ cwd: root, overrideConfig: [tseslint.configs.disableTypeChecked] });

  async function restricted(code: string, filePath: string): Promise<number[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? [])
      .filter((m) => m.ruleId === 'no-restricted-imports')
      .map((m) => m.line);
  }

  const code = [
    "import type { Config } from '../server/src/config.js';",
    "export { api } from '../web/src/api/client.js';",
    "import { z } from 'zod';",
    "import type { ApiErrorBody } from './api.js';",
    'export type Used = [Config, ApiErrorBody, typeof z];',
  ].join('\n');

  it('rejects imports of server/ and web/ code from shared/', async () => {
    expect(await restricted(code, 'shared/probe.ts')).to.deep.equal([1, 2]);
  });

  it('leaves server/ free to import from shared/', async () => {
    expect(await restricted(code, 'server/src/probe.ts')).to.deep.equal([]);
  });
});
