import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { sectionOf } from './api-docs/catalogue.js';
import { analyseHandler, enumerateApi } from './api-docs/enumerate.js';
import { DOCS_FILE, ROOT, generateApiDocs, type Problem } from './api-docs/generate.js';

const REGENERATE = 'run `npx tsx scripts/api-docs.ts` and commit docs/api.md';

/** The trimmed cells of a field's row in a route's input table. */
function rowIn(text: string, route: string, field: string): string[] {
  const entry = text.split(`### \`${route}\``)[1]?.split('\n### ')[0] ?? '';
  const line = entry.split('\n').find((l) => l.startsWith(`| \`${field}\``)) ?? '';
  return line
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((cell) => cell.trim());
}

/** The `METHOD /path` headings of a reference text. */
function documentedRoutes(text: string): string[] {
  return [...text.matchAll(/^### `([A-Z]+ \/\S*)`$/gm)].map((m) => m[1]);
}

describe('API reference (docs/api.md)', function () {
  // Builds the app, loads every schema module and type-checks the presenters.
  this.timeout(120_000);

  let generated: Awaited<ReturnType<typeof generateApiDocs>>;
  let committed: string;
  const served = () => generated.model.routes.map((r) => r.key);
  const row = (route: string, field: string) => rowIn(generated.text, route, field);
  const problems = (...kinds: Problem['kind'][]) =>
    generated.problems.filter((p) => kinds.includes(p.kind)).map((p) => `${p.key}: ${p.message}`);

  before(async () => {
    generated = await generateApiDocs();
    committed = await readFile(path.join(ROOT, DOCS_FILE), 'utf8').catch(() => '');
  });

  it('reads the routes from the running router, nested routers and root mounts included', () => {
    const keys = served();
    expect(keys).to.include.members([
      'GET /api/health',
      'POST /api/auth/signin',
      'GET /api/me',
      'GET /api/groups/:group/members',
      'POST /api/discussions/:id/polls',
      'PUT /api/comments/:id/reactions/:emoji',
    ]);
    expect(new Set(keys).size, 'each METHOD /path once').to.equal(keys.length);
    expect(keys.filter((k) => k.endsWith('/') || !k.includes(' /api/'))).to.deep.equal([]);
  });

  it('has a catalogue entry for every route and no entry for a route that is gone', () => {
    expect(problems('undocumented-route'), 'routes missing from the catalogue').to.deep.equal([]);
    expect(problems('stale-entry'), 'catalogue entries without a route').to.deep.equal([]);
  });

  it('finds the zod schema of every parse call in a handler', () => {
    expect(problems('unread-parse', 'unknown-schema', 'schema-modules')).to.deep.equal([]);
    const signup = generated.model.routes.find((r) => r.key === 'POST /api/auth/signup');
    expect(signup?.facts.parses).to.deep.equal([{ schema: 'signUpSchema', location: 'body' }]);
  });

  it('knows the error id of every error a handler throws; statuses and sign-in agree with the code', () => {
    expect(problems('unknown-error', 'undocumented-status', 'auth-mismatch')).to.deep.equal([]);
  });

  it('describes every record an answer names, and files every route under a section', () => {
    expect(problems('unknown-record', 'no-section')).to.deep.equal([]);
    const headings = [...generated.text.matchAll(/^### (\w+Dto|\w+)$/gm)].map((m) => m[1]);
    expect(headings).to.include.members(['GroupDetailDto', 'PollDto', 'SelfDto', 'MemberDto']);
  });

  it('lists every route the app serves in docs/api.md', () => {
    const missing = served().filter((key) => !documentedRoutes(committed).includes(key));
    expect(missing, REGENERATE).to.deep.equal([]);
  });

  it('names no route in docs/api.md that the app does not serve', () => {
    const gone = documentedRoutes(committed).filter((key) => !served().includes(key));
    expect(gone, REGENERATE).to.deep.equal([]);
  });

  it('is exactly what the script generates from the code today', () => {
    // Compared line by line first, so a failure shows where the two part.
    const want = generated.text.split('\n');
    const have = committed.split('\n');
    const first = want.findIndex((line, i) => have[i] !== line);
    const where =
      first === -1
        ? ''
        : `line ${first + 1} is ${JSON.stringify(have[first])}, not ${JSON.stringify(want[first])}`;
    expect(first, `${DOCS_FILE} ${where}: ${REGENERATE}`).to.equal(-1);
    expect(committed === generated.text, `${DOCS_FILE} has extra lines: ${REGENERATE}`).to.be.true;
  });

  it('renders request schemas from zod, with formats, defaults and field comments', () => {
    expect(row('POST /api/auth/signup', 'email')).to.deep.equal([
      '`email`',
      'string',
      '≤ 254 chars, email',
      'yes',
      '',
    ]);
    expect(row('POST /api/groups/:group/invitations', 'role')).to.deep.equal([
      '`role`',
      '"member" \\| "coordinator"',
      'default `"member"`',
      'no',
      'Only coordinators may invite coordinators.',
    ]);
  });

  it('reads a shape for every record, through re-exports and intersections', () => {
    const empty = generated.model.records
      .filter((r) => r.fields.length === 0 && r.includes.length === 0)
      .map((r) => r.name);
    expect(empty).to.deep.equal([]);
    const names = generated.model.records.map((r) => r.name);
    expect(names, 'one record per name, sorted').to.deep.equal(
      [...new Set(names)].sort((a, b) => a.localeCompare(b)),
    );
  });
});

describe('API reference: reading handlers', () => {
  it('reads parse calls as written and as transpiled', () => {
    const esm = analyseHandler(
      'async (req, res) => { requireUser(req); parse(signInSchema, req.body); }',
    );
    const cjs = analyseHandler(
      '(req,res)=>{(0,import_validate.parse)(import_schema.listGroupsSchema,req.query)}',
    );
    const params = analyseHandler('parse(reactionParamsSchema, { emoji: req.params.emoji })');
    expect(esm.parses).to.deep.equal([{ schema: 'signInSchema', location: 'body' }]);
    expect(esm.requiresUser).to.be.true;
    expect(cjs.parses).to.deep.equal([{ schema: 'listGroupsSchema', location: 'query' }]);
    expect(cjs.requiresUser).to.be.false;
    expect(params.parses).to.deep.equal([{ schema: 'reactionParamsSchema', location: 'path' }]);
  });

  it('reports a parse call it cannot read instead of guessing, and ignores JSON.parse', () => {
    const facts = analyseHandler('JSON.parse(text, reviver); parse(schemaFor(kind), req.body);');
    expect(facts.parses).to.deep.equal([]);
    expect(facts.unreadParses).to.have.length(1);
  });

  it('collects error factories, inline error ids and literal statuses', () => {
    const facts = analyseHandler(
      'throw (0,import_errors.NotFoundError)("x"); throw new HttpError("anonymous_poll", 409, "y");' +
        ' res.status(created ? 201 : 200).json({}); throw AuthorizationError();',
    );
    expect(facts.errorFactories).to.deep.equal(['NotFoundError', 'AuthorizationError']);
    expect(facts.inlineErrorIds).to.deep.equal(['anonymous_poll']);
    expect(facts.statuses).to.have.members([201, 200]);
  });

  it('files routes by whole path segments', () => {
    expect(sectionOf('/api/groups/:group/join')).to.equal('Members');
    expect(sectionOf('/api/groups/:group/join-requests')).to.equal('Join requests');
    expect(sectionOf('/api/discussions/:id/polls')).to.equal('Polls and votes');
    expect(sectionOf('/api/discussions/:id')).to.equal('Discussions');
    expect(sectionOf('/api/nowhere')).to.equal('Other');
  });

  it('enumerates only /api routes', () => {
    expect(enumerateApi().every((r) => r.path.startsWith('/api/'))).to.be.true;
  });
});
