/**
 * Builds the model of the API reference and checks it: every route the app
 * serves must have a catalogue entry and every entry a route, every schema a
 * handler parses must be found, every error it throws known, every status it
 * sets documented and every record an answer names described.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { CATALOGUE, sectionOf, type RouteDoc } from './catalogue.js';
import { enumerateApi } from './enumerate.js';
import { ERROR_IDS, errorFactoryIds } from './errors.js';
import { loadRecords } from './records.js';
import { recordNamesIn, renderApiDocs, routeErrors, type DocsModel } from './render.js';
import { SCHEMA_MODULES, loadSchemas, resolveSchema, schemaModulesOnDisk } from './schemas.js';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the reference lives, relative to the root. */
export const DOCS_FILE = 'docs/api.md';

/** One disagreement between the code and the catalogue, or something the reader could not read. */
export interface Problem {
  kind:
    | 'undocumented-route'
    | 'stale-entry'
    | 'unread-parse'
    | 'unknown-schema'
    | 'unknown-error'
    | 'undocumented-status'
    | 'unknown-record'
    | 'no-section'
    | 'schema-modules'
    | 'auth-mismatch';
  key: string;
  message: string;
}

/** Reads the app, the schema modules and the presenters. */
export async function loadModel(root = ROOT): Promise<DocsModel> {
  return {
    routes: enumerateApi(),
    schemas: await loadSchemas(root),
    records: loadRecords(root),
    factoryIds: errorFactoryIds(),
  };
}

function routeProblems(model: DocsModel): Problem[] {
  const problems: Problem[] = [];
  for (const route of model.routes) {
    const { key, facts } = route;
    const doc = CATALOGUE[key] as RouteDoc | undefined;
    if (!doc) {
      problems.push({ kind: 'undocumented-route', key, message: 'no catalogue entry' });
    }
    for (const call of facts.unreadParses) {
      const message = `cannot tell the schema or input of \`${call}\`: parse a named *Schema export from req.body, req.query or req.params`;
      problems.push({ kind: 'unread-parse', key, message });
    }
    for (const { schema } of facts.parses) {
      try {
        resolveSchema(model.schemas, schema);
      } catch (error) {
        problems.push({ kind: 'unknown-schema', key, message: (error as Error).message });
      }
    }
    const errors = routeErrors(route, doc, model.factoryIds);
    for (const name of errors.unknownFactories) {
      const message = `${name} produces no known error id: export it or add it to UNEXPORTED_FACTORIES`;
      problems.push({ kind: 'unknown-error', key, message });
    }
    const documented = new Set([...(doc?.ok ?? []), ...errors.ids.map((id) => ERROR_IDS[id][0])]);
    for (const status of facts.statuses) {
      if (!documented.has(status)) {
        const message = `the handler answers ${status}, which the entry does not mention`;
        problems.push({ kind: 'undocumented-status', key, message });
      }
    }
    const mentioned = doc?.body.match(/\b[A-Z]\w*\b/g) ?? [];
    const known = new Set(recordNamesIn(doc?.body ?? '', model.records));
    for (const name of mentioned.filter((n) => !known.has(n))) {
      problems.push({ kind: 'unknown-record', key, message: `the body names unknown ${name}` });
    }
    if (doc?.auth && /^signed in\b/i.test(doc.auth) && !facts.requiresUser) {
      const message = 'the entry says "Signed in" but the handler never calls requireUser';
      problems.push({ kind: 'auth-mismatch', key, message });
    }
    if (sectionOf(route.path) === 'Other') {
      problems.push({ kind: 'no-section', key, message: 'matches no prefix of SECTIONS' });
    }
  }
  return problems;
}

/** Everything that would make the reference wrong or incomplete. */
export function checkModel(model: DocsModel, root = ROOT): Problem[] {
  const served = new Set(model.routes.map((r) => r.key));
  const stale = Object.keys(CATALOGUE)
    .filter((key) => !served.has(key))
    .map((key): Problem => ({ kind: 'stale-entry', key, message: 'no such route in the app' }));
  const listed = Object.keys(SCHEMA_MODULES);
  const onDisk = schemaModulesOnDisk(root);
  const modules = [
    ...onDisk.filter((f) => !listed.includes(f)).map((f) => `${f} is not in SCHEMA_MODULES`),
    ...listed.filter((f) => !onDisk.includes(f)).map((f) => `${f} no longer exists`),
  ].map((message): Problem => ({ kind: 'schema-modules', key: 'schemas.ts', message }));
  return [...routeProblems(model), ...stale, ...modules];
}

/**
 * The text `docs/api.md` should have (formatted by Prettier with the repo's
 * settings, so `prettier --check .` accepts it), and the problems found.
 */
export async function generateApiDocs(
  root = ROOT,
): Promise<{ text: string; problems: Problem[]; model: DocsModel }> {
  const model = await loadModel(root);
  const filepath = path.join(root, DOCS_FILE);
  const options = (await prettier.resolveConfig(filepath)) ?? {};
  const text = await prettier.format(renderApiDocs(model), { ...options, filepath });
  return { text, problems: checkModel(model, root), model };
}
