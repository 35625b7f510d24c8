/**
 * Writes the reference from the model: the conventions, one section per
 * resource with every route the app serves, then the records. Pure: the same
 * model always gives the same text, which is what lets the test compare the
 * committed `docs/api.md` with a fresh rendering.
 */
import type { ErrorId } from '../../shared/api.js';
import { CATALOGUE, SECTIONS, sectionOf, type RouteDoc } from './catalogue.js';
import type { ApiRoute } from './enumerate.js';
import { ERROR_IDS, sortErrorIds } from './errors.js';
import { renderHeader } from './header.js';
import type { RecordDoc } from './records.js';
import { renderSchema, resolveSchema, type SchemaExport } from './schemas.js';

/** Everything the reference is written from. */
export interface DocsModel {
  routes: ApiRoute[];
  schemas: Map<string, SchemaExport[]>;
  records: RecordDoc[];
  /** Error factory name → the id it produces. */
  factoryIds: Map<string, ErrorId>;
}

const LABELS = { body: 'Body', query: 'Query', path: 'Path parameters' } as const;
const escapeCell = (text: string) => text.replace(/\|/g, '\\|');
const anchor = (name: string) => `#${name.toLowerCase()}`;

/** Record names mentioned in a type or body text. */
export function recordNamesIn(text: string, records: RecordDoc[]): string[] {
  const known = new Set(records.map((r) => r.name));
  return [...new Set(text.match(/\b[A-Z]\w*\b/g) ?? [])].filter((name) => known.has(name));
}

function linkRecords(text: string, records: RecordDoc[]): string {
  const known = new Set(records.map((r) => r.name));
  return text.replace(/\b[A-Z]\w*\b/g, (name) =>
    known.has(name) ? `[${name}](${anchor(name)})` : name,
  );
}

/** The error ids a route can answer with: read from its handler, plus the catalogue's. */
export function routeErrors(
  route: ApiRoute,
  doc: RouteDoc | undefined,
  factoryIds: Map<string, ErrorId>,
): { ids: ErrorId[]; unknownFactories: string[] } {
  const ids: ErrorId[] = [...(doc?.errors ?? [])];
  const unknownFactories: string[] = [];
  if (route.facts.parses.length > 0) ids.push('validation_error');
  if (route.facts.requiresUser) ids.push('authentication_required');
  for (const name of route.facts.errorFactories) {
    const id = factoryIds.get(name);
    if (id) ids.push(id);
    else unknownFactories.push(name);
  }
  for (const id of route.facts.inlineErrorIds) {
    if (Object.hasOwn(ERROR_IDS, id)) ids.push(id as ErrorId);
    else unknownFactories.push(`HttpError('${id}')`);
  }
  return { ids: sortErrorIds(ids), unknownFactories };
}

function renderInputs(route: ApiRoute, model: DocsModel): string[] {
  return route.facts.parses.map(({ schema, location }) => {
    let entry: SchemaExport;
    try {
      entry = resolveSchema(model.schemas, schema);
    } catch (error) {
      return `**${LABELS[location]}** (\`${schema}\`): ${(error as Error).message}.`;
    }
    const source = `(\`${entry.name}\` in \`${entry.file}\`)`;
    return `**${LABELS[location]}** ${source}:\n\n${renderSchema(entry)}`;
  });
}

/** Whether the handler requires sign-in (read from its code), refined by the catalogue's words. */
function authLine(route: ApiRoute, doc: RouteDoc | undefined): string {
  if (!route.facts.requiresUser) return doc?.auth ?? 'None: visitors may call it.';
  if (!doc?.auth) return 'Signed in.';
  if (/^signed in\b/i.test(doc.auth)) return doc.auth;
  return `Signed in: ${doc.auth.charAt(0).toLowerCase()}${doc.auth.slice(1)}`;
}

function renderRoute(route: ApiRoute, model: DocsModel): string {
  const doc = CATALOGUE[route.key] as RouteDoc | undefined;
  const ok = (doc?.ok ?? [200]).map((s) => `\`${s}\``).join(' or ');
  const body = doc?.body ? ` with \`${doc.body}\`` : ', no body';
  const named = recordNamesIn(doc?.body ?? '', model.records);
  const see =
    named.length > 0 ? `; see ${named.map((n) => `[${n}](${anchor(n)})`).join(', ')}` : '';
  const errors = routeErrors(route, doc, model.factoryIds).ids.map(
    (id) => `\`${ERROR_IDS[id][0]} ${id}\``,
  );
  const lines = [
    `### \`${route.key}\``,
    '',
    doc?.purpose ?? '**Not described yet: add it to scripts/api-docs/routes-*.ts.**',
    '',
    `- **Auth:** ${authLine(route, doc)}`,
    `- **Success:** ${ok}${body}${see}`,
    `- **Errors:** ${errors.length > 0 ? errors.join(', ') : 'none beyond the shared ones'}`,
  ];
  if (doc?.note) lines.push(`- **Note:** ${doc.note}`);
  return [lines.join('\n'), ...renderInputs(route, model)].join('\n\n');
}

/** An included shape; a union reads "either A or B". */
function included(shape: string, records: RecordDoc[]): string {
  const options = shape.split(' | ').map((option) => linkRecords(option, records));
  return options.length > 1 ? `either ${options.join(' or ')}` : options[0];
}

function renderRecord(record: RecordDoc, records: RecordDoc[]): string {
  const intro = [
    record.doc,
    `Declared in \`${record.file}\`.`,
    record.includes.length > 0
      ? `Has every field of ${record.includes.map((i) => included(i, records)).join(' and ')}, and:`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  const rows = record.fields.map((f) => {
    const field = `\`${f.field}${f.optional ? '?' : ''}\``;
    return `| ${field} | ${escapeCell(linkRecords(f.type, records))} | ${escapeCell(f.doc)} |`;
  });
  const table = ['| Field | Type | Notes |', '|---|---|---|', ...rows].join('\n');
  return `### ${record.name}\n\n${intro}\n\n${rows.length > 0 ? table : 'No fields of its own.'}`;
}

/** The routes of each section, sections in the catalogue's order, routes in the app's order. */
export function routesBySection(routes: ApiRoute[]): { title: string; routes: ApiRoute[] }[] {
  const titles = [...SECTIONS.map((s) => s.title), 'Other'];
  return titles
    .map((title) => ({ title, routes: routes.filter((r) => sectionOf(r.path) === title) }))
    .filter((section) => section.routes.length > 0);
}

/** The whole of `docs/api.md`. */
export function renderApiDocs(model: DocsModel): string {
  const pagination = resolveSchema(model.schemas, 'paginationSchema');
  const sections = routesBySection(model.routes);
  const contents = sections.map(
    (s) =>
      `- [${s.title}](#${s.title.toLowerCase().replace(/ /g, '-')}): ` +
      s.routes.map((r) => `\`${r.key}\``).join(', '),
  );
  const parts = [
    renderHeader(renderSchema(pagination)).trimEnd(),
    `## Routes\n\n${model.routes.length} routes.\n\n${contents.join('\n')}`,
    ...sections.map((s) => [`## ${s.title}`, ...s.routes.map((r) => renderRoute(r, model))]),
    '## Records',
    'The shapes answers carry, read from the presenters’ types. `?` marks a field that may be ' +
      'absent; nested objects are listed as `parent.child`.',
    ...model.records.map((record) => renderRecord(record, model.records)),
  ].flat();
  return `${parts.join('\n\n')}\n`;
}
