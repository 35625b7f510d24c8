/**
 * The zod schemas the route handlers parse, found by the name the handler
 * uses, and rendered for the reference from zod 4's own JSON Schema
 * (`z.toJSONSchema`), with the JSDoc comments written beside their fields in
 * `schema.ts`. Refinements (cross-field rules, custom checks) have no JSON
 * Schema form; their messages reach the client as `validation_error`s.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { z } from 'zod';
import * as pagination from '../../server/src/http/pagination.js';
import * as auth from '../../server/src/routes/auth/schema.js';
import * as comments from '../../server/src/routes/comments/schema.js';
import * as discussions from '../../server/src/routes/discussions/schema.js';
import * as groups from '../../server/src/routes/groups/schema.js';
import * as inbox from '../../server/src/routes/inbox/schema.js';
import * as invitations from '../../server/src/routes/invitations/schema.js';
import * as joinLinks from '../../server/src/routes/join-links/schema.js';
import * as joinRequests from '../../server/src/routes/join-requests/schema.js';
import * as me from '../../server/src/routes/me/schema.js';
import * as admin from '../../server/src/routes/admin/schema.js';
import * as emailPreferences from '../../server/src/routes/email-preferences/schema.js';
import * as unsubscribe from '../../server/src/routes/unsubscribe/schema.js';
import * as memberships from '../../server/src/routes/memberships/schema.js';
import * as polls from '../../server/src/routes/polls/schema.js';
import * as meetings from '../../server/src/routes/meetings/schema.js';
import * as privacy from '../../server/src/routes/privacy/schema.js';
import * as support from '../../server/src/routes/support/schema.js';
import * as moderation from '../../server/src/routes/moderation/schema.js';

/**
 * The modules whose exported schemas handlers may parse, imported statically
 * (a dynamic import could load a second copy of the models they import). The
 * test compares this list with the `schema.ts` files on disk.
 */
export const SCHEMA_MODULES: Record<string, Record<string, unknown>> = {
  'server/src/http/pagination.ts': pagination,
  'server/src/routes/auth/schema.ts': auth,
  'server/src/routes/comments/schema.ts': comments,
  'server/src/routes/discussions/schema.ts': discussions,
  'server/src/routes/groups/schema.ts': groups,
  'server/src/routes/inbox/schema.ts': inbox,
  'server/src/routes/invitations/schema.ts': invitations,
  'server/src/routes/join-links/schema.ts': joinLinks,
  'server/src/routes/join-requests/schema.ts': joinRequests,
  'server/src/routes/me/schema.ts': me,
  'server/src/routes/meetings/schema.ts': meetings,
  'server/src/routes/admin/schema.ts': admin,
  'server/src/routes/email-preferences/schema.ts': emailPreferences,
  'server/src/routes/unsubscribe/schema.ts': unsubscribe,
  'server/src/routes/memberships/schema.ts': memberships,
  'server/src/routes/polls/schema.ts': polls,
  'server/src/routes/privacy/schema.ts': privacy,
  'server/src/routes/support/schema.ts': support,
  'server/src/routes/moderation/schema.ts': moderation,
};

/** One exported zod schema and the comments on its fields. */
export interface SchemaExport {
  name: string;
  /** Repository-relative path of the module exporting it. */
  file: string;
  schema: z.ZodType;
  /** Field name → its JSDoc comment in the schema's source. */
  fieldDocs: Map<string, string>;
}

type Json = Record<string, unknown>;

/** The schema modules on disk: pagination and every `routes/<resource>/schema.ts`. */
export function schemaModulesOnDisk(root: string): string[] {
  const routes = path.join(root, 'server/src/routes');
  const folders = readdirSync(routes, { withFileTypes: true }).filter((d) => d.isDirectory());
  return [
    'server/src/http/pagination.ts',
    ...folders
      .map((d) => `server/src/routes/${d.name}/schema.ts`)
      .filter((file) => existsSync(path.join(root, file)))
      .sort(),
  ];
}

/** JSDoc comments on object-literal properties inside each exported declaration. */
function fieldDocsOf(source: string, file: string): Map<string, Map<string, string>> {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const byExport = new Map<string, Map<string, string>>();
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations) {
      if (!ts.isIdentifier(decl.name) || !decl.initializer) continue;
      const docs = new Map<string, string>();
      const visit = (node: ts.Node): void => {
        if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name)) {
          const text = ts
            .getJSDocCommentsAndTags(node)
            .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
            .join(' ')
            .trim();
          if (text) docs.set(node.name.text, text.replace(/\s+/g, ' '));
        }
        ts.forEachChild(node, visit);
      };
      visit(decl.initializer);
      byExport.set(decl.name.text, docs);
    }
  }
  return byExport;
}

/** Every exported zod schema of the schema modules, by export name (a name may repeat). */
export async function loadSchemas(root: string): Promise<Map<string, SchemaExport[]>> {
  const found = new Map<string, SchemaExport[]>();
  for (const [file, mod] of Object.entries(SCHEMA_MODULES)) {
    const docs = fieldDocsOf(await readFile(path.join(root, file), 'utf8'), file);
    for (const [name, value] of Object.entries(mod)) {
      if (!(value instanceof z.ZodType)) continue;
      const entry = { name, file, schema: value, fieldDocs: docs.get(name) ?? new Map() };
      found.set(name, [...(found.get(name) ?? []), entry]);
    }
  }
  return found;
}

/**
 * The JSON Schema of the input a schema accepts. A pipe shows its input side
 * only (`z.string().trim().pipe(z.email())` is a string); the format its
 * output side checks (`email`) is added back, since the input must meet it.
 */
export function inputJsonSchema(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def;
      if (def.type !== 'pipe' || jsonSchema.format !== undefined) return;
      const format = (def.out._zod.def as { format?: unknown }).format;
      if (typeof format === 'string') jsonSchema.format = format;
    },
  });
}

/**
 * The schema a handler means by `name`. Several modules may export the same
 * name only if the schemas accept the same input; otherwise the name is
 * ambiguous and the reference could show the wrong one.
 */
export function resolveSchema(schemas: Map<string, SchemaExport[]>, name: string): SchemaExport {
  const candidates = schemas.get(name) ?? [];
  if (candidates.length === 0) throw new Error(`no schema module exports ${name}`);
  const shapes = new Set(candidates.map((c) => JSON.stringify(inputJsonSchema(c.schema))));
  if (shapes.size > 1) {
    const files = candidates.map((c) => c.file).join(', ');
    throw new Error(`${name} is exported with different shapes by ${files}; rename one`);
  }
  return candidates[0];
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const SAFE = Number.MAX_SAFE_INTEGER;

function range(min: unknown, max: unknown, unit: string): string | null {
  const lo = typeof min === 'number' && Math.abs(min) < SAFE ? min : null;
  const hi = typeof max === 'number' && Math.abs(max) < SAFE ? max : null;
  if (lo !== null && hi !== null) return `${lo}–${hi}${unit}`;
  if (lo !== null) return `≥ ${lo}${unit}`;
  if (hi !== null) return `≤ ${hi}${unit}`;
  return null;
}

/** The alternatives of a nullable or union node, without `null`. */
function alternatives(node: Json): { options: Json[]; nullable: boolean } {
  const any = (node.anyOf ?? node.oneOf) as Json[] | undefined;
  if (!any) return { options: [node], nullable: false };
  const options = any.filter((o) => o.type !== 'null');
  return { options, nullable: options.length < any.length };
}

function typeOf(node: Json): string {
  const { options, nullable } = alternatives(node);
  const types = options.map((o) => {
    if (Array.isArray(o.enum)) return o.enum.map((v) => JSON.stringify(v)).join(' | ');
    if (o.const !== undefined) return JSON.stringify(o.const);
    if (o.type === 'array') return `${typeOf((o.items as Json | undefined) ?? {})}[]`;
    return typeof o.type === 'string' ? o.type : 'any';
  });
  return [...types, ...(nullable ? ['null'] : [])].join(' | ');
}

function constraintsOf(node: Json): string {
  const parts: string[] = [];
  for (const o of alternatives(node).options) {
    parts.push(range(o.minLength, o.maxLength, ' chars') ?? '');
    parts.push(range(o.minimum, o.maximum, '') ?? '');
    parts.push(range(o.minItems, o.maxItems, ' items') ?? '');
    if (typeof o.format === 'string') parts.push(o.format);
    else if (typeof o.pattern === 'string') parts.push(`\`${o.pattern}\``);
    if (o.type === 'array') parts.push(constraintsOf((o.items as Json | undefined) ?? {}));
  }
  if (node.default !== undefined) parts.push(`default \`${JSON.stringify(node.default)}\``);
  return parts.filter(Boolean).join(', ');
}

/** The object node inside a property (through nullability and arrays), if any. */
function objectInside(node: Json): { object: Json; suffix: string } | null {
  for (const o of alternatives(node).options) {
    if (o.type === 'object' && o.properties) return { object: o, suffix: '.' };
    if (o.type === 'array' && (o.items as Json | undefined)?.properties) {
      return { object: o.items as Json, suffix: '[].' };
    }
  }
  return null;
}

function objectRows(node: Json, prefix: string, docs: Map<string, string>, out: string[]): void {
  const required = new Set((node.required as string[] | undefined) ?? []);
  for (const [name, value] of Object.entries((node.properties ?? {}) as Record<string, Json>)) {
    const field = `${prefix}${name}`;
    const req = required.has(name) && value.default === undefined ? 'yes' : 'no';
    const row = [`\`${field}\``, typeOf(value), constraintsOf(value), req, docs.get(name) ?? ''];
    out.push(`| ${row.map(cell).join(' | ')} |`);
    const inner = objectInside(value);
    if (inner) objectRows(inner.object, `${field}${inner.suffix}`, docs, out);
  }
}

/** A compact table of an object schema's fields: field, type, constraints, required, notes. */
function objectTable(node: Json, docs: Map<string, string>): string {
  const rows: string[] = [];
  objectRows(node, '', docs, rows);
  if (rows.length === 0) {
    return node.additionalProperties === false ? 'Empty: `{}` or no body; any key is refused.' : '';
  }
  const strict = node.additionalProperties === false ? '\n\nOther keys are refused.' : '';
  const head = '| Field | Type | Constraints | Required | Notes |\n|---|---|---|---|---|';
  return `${head}\n${rows.join('\n')}${strict}`;
}

/** Markdown for the input a schema accepts: a field table, or one per alternative of a union. */
export function renderSchema(entry: SchemaExport): string {
  const json = inputJsonSchema(entry.schema);
  const union = (json.anyOf ?? json.oneOf) as Json[] | undefined;
  if (union && json.type === undefined) {
    return union
      .map((alt, i) => `Variant ${i + 1}:\n\n${objectTable(alt, entry.fieldDocs)}`)
      .join('\n\n');
  }
  return objectTable(json, entry.fieldDocs);
}
