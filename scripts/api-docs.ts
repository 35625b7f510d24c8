/**
 * Writes `docs/api.md`, the API reference, from the running router, the zod
 * schemas the handlers parse and the presenters' types (see scripts/api-docs/).
 *
 *   npx tsx scripts/api-docs.ts           rewrite docs/api.md
 *   npx tsx scripts/api-docs.ts --check   exit 1 if docs/api.md is stale (CI)
 *
 * Either way it lists the disagreements between the code and the catalogue
 * (a route without an entry, an entry without a route, ...) and exits 1 if
 * there are any, after writing what it could.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DOCS_FILE, ROOT, generateApiDocs } from './api-docs/generate.js';

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const { text, problems, model } = await generateApiDocs();
  const file = path.join(ROOT, DOCS_FILE);
  let status = 0;
  if (check) {
    const current = await readFile(file, 'utf8').catch(() => null);
    if (current !== text) {
      console.error(`${DOCS_FILE} is out of date: run npx tsx scripts/api-docs.ts`);
      status = 1;
    }
  } else {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    console.log(
      `wrote ${DOCS_FILE}: ${model.routes.length} routes, ${model.records.length} records`,
    );
  }
  for (const problem of problems) {
    console.error(`${problem.kind}: ${problem.key}: ${problem.message}`);
  }
  return problems.length > 0 ? 1 : status;
}

process.exitCode = await main();
