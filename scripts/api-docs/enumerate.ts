/**
 * The API's routes as the running app serves them, and what each handler's
 * own code says about it: which zod schema it parses (and from where), whether
 * it calls `requireUser`, which error factories it throws and which statuses
 * it sets. Reading the handler's code keeps the reference from drifting when a
 * route changes its schema or starts requiring sign-in.
 */
import { createApp } from '../../server/src/app.js';
import { listRoutes } from '../../server/src/http/route-list.js';
import { silentLogger } from '../../server/src/logger.js';
import { Outbox } from '../../server/src/mail/mailer.js';

/** Where a handler takes a parsed input from. */
export type InputLocation = 'body' | 'query' | 'path';

/** One `parse(schema, input)` call in a handler. */
export interface ParsedInput {
  schema: string;
  location: InputLocation;
}

/** What a handler's code shows about its route. */
export interface HandlerFacts {
  parses: ParsedInput[];
  /** Calls `requireUser(req)`: 401 for visitors. */
  requiresUser: boolean;
  /** Names of the `*Error` factories and classes the handler mentions, in order. */
  errorFactories: string[];
  /** Ids of errors the handler builds inline with `new HttpError('id', ...)`. */
  inlineErrorIds: string[];
  /** Literal statuses passed to `res.status(...)`. */
  statuses: number[];
  /** `parse(` calls whose schema or input could not be read: the test fails on any. */
  unreadParses: string[];
}

/** A route under `/api` with the facts read from its handlers. */
export interface ApiRoute {
  method: string;
  path: string;
  /** `METHOD /path`: the key of the route's entry in the catalogue. */
  key: string;
  facts: HandlerFacts;
}

/**
 * The app as `npm start` builds it, without a database: enough to list its
 * routes, which are all registered when the app is built. `production` leaves
 * out the test-only routes.
 */
export function buildDocsApp() {
  return createApp({
    config: {
      nodeEnv: 'production',
      trustProxy: false,
      publicUrl: 'http://localhost:3000',
      jwtSecret: 'api-docs-only-never-signs-anything-0000',
    },
    health: () => Promise.resolve({ mode: 'embedded', reachable: true, latencyMs: 0 }),
    logger: silentLogger,
    mailer: new Outbox(null),
  });
}

/** The start of a call of `parse`, possibly transpiled to `(0, import_x.parse)(`. */
const PARSE_START = /(?<![\w$.])(?:(?!JSON\.)[\w$]+\.)?parse\)?\(/g;
/** What must follow: the schema identifier (possibly namespaced), then the input expression. */
const PARSE_ARGS = /\s*(?:[\w$]+\.)?([\w$]+)\s*,\s*([^)]*)/y;
const ERROR_NAME = /\b([A-Z][A-Za-z0-9]*Error)\b/g;
const INLINE_ERROR = /new\s+(?:[\w$]+\.)?HttpError\)?\(\s*["'`]([a-z_]+)["'`]/g;
const STATUS_CALL = /\.status\(([^)]*)\)/g;

function inputLocation(expression: string): InputLocation | null {
  if (/^req\.body\b/.test(expression)) return 'body';
  if (/^req\.query\b/.test(expression)) return 'query';
  if (/^req\.params\b/.test(expression) || /^\{[^}]*\breq\.params\./.test(expression)) {
    return 'path';
  }
  return null;
}

/** Reads the facts from a handler's source text (as the running code has it). */
export function analyseHandler(source: string): HandlerFacts {
  const facts: HandlerFacts = {
    parses: [],
    requiresUser: /\brequireUser\b/.test(source),
    errorFactories: [],
    inlineErrorIds: [],
    statuses: [],
    unreadParses: [],
  };
  for (const start of source.matchAll(PARSE_START)) {
    PARSE_ARGS.lastIndex = start.index + start[0].length;
    const args = PARSE_ARGS.exec(source);
    const location = args ? inputLocation(args[2].trim()) : null;
    if (args && location && /^[a-z][\w$]*Schema$/.test(args[1])) {
      facts.parses.push({ schema: args[1], location });
    } else {
      facts.unreadParses.push(source.slice(start.index, start.index + 80));
    }
  }
  for (const [, name] of source.matchAll(ERROR_NAME)) {
    if (name !== 'HttpError' && !facts.errorFactories.includes(name)) {
      facts.errorFactories.push(name);
    }
  }
  for (const [, id] of source.matchAll(INLINE_ERROR)) facts.inlineErrorIds.push(id);
  for (const [, args] of source.matchAll(STATUS_CALL)) {
    for (const [digits] of args.matchAll(/\b[1-5]\d\d\b/g)) facts.statuses.push(Number(digits));
  }
  return facts;
}

function mergeFacts(all: HandlerFacts[]): HandlerFacts {
  const unique = <T>(values: T[]) => [...new Set(values)];
  return {
    parses: all.flatMap((f) => f.parses),
    requiresUser: all.some((f) => f.requiresUser),
    errorFactories: unique(all.flatMap((f) => f.errorFactories)),
    inlineErrorIds: unique(all.flatMap((f) => f.inlineErrorIds)),
    statuses: unique(all.flatMap((f) => f.statuses)),
    unreadParses: all.flatMap((f) => f.unreadParses),
  };
}

/** Every route under `/api`, in the order the app matches them. */
export function enumerateApi(app = buildDocsApp()): ApiRoute[] {
  return listRoutes(app)
    .filter((route) => route.path === '/api' || route.path.startsWith('/api/'))
    .map((route) => ({
      method: route.method,
      path: route.path,
      key: `${route.method} ${route.path}`,
      facts: mergeFacts(route.handlers.map((handler) => analyseHandler(handler.toString()))),
    }));
}
