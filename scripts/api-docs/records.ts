/**
 * The shapes of the records responses carry, read with the TypeScript checker
 * from the presenters' exported `*Dto` types (plus a few shapes declared
 * elsewhere), so the reference lists exactly the fields a presenter may send.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One field of a record; nested anonymous objects appear as `parent.child` rows. */
export interface RecordField {
  field: string;
  type: string;
  optional: boolean;
  doc: string;
}

/** A named response shape. */
export interface RecordDoc {
  name: string;
  /** Repository-relative file declaring it. */
  file: string;
  doc: string;
  /** Shapes whose fields this one also has (interface `extends`, intersections). */
  includes: string[];
  fields: RecordField[];
}

/** Shapes not named `*Dto` in the presenters that responses carry too. */
const EXTRA_RECORDS: { name: string; file: string; returnOf?: string }[] = [
  { name: 'HealthResponse', file: 'shared/api.ts' },
  { name: 'PollResults', file: 'shared/polls/types.ts' },
  { name: 'OptionResult', file: 'shared/polls/types.ts' },
  ...[
    'OwnReportDto',
    'QueueItemDto',
    'QueueReportDto',
    'QueueTargetDto',
    'AuthorHistoryDto',
    'SiteQueueItemDto',
    'RestrictionDto',
    'RestrictionListItemDto',
    'ModerationNoticeDto',
    'GroupModerationSettingsDto',
  ].map((name) => ({ name, file: 'shared/moderation.ts' })),
  { name: 'MeetingDto', file: 'shared/meetings.ts' },
  { name: 'MeetingSummaryDto', file: 'shared/meetings.ts' },
  { name: 'AgendaItemDto', file: 'shared/meetings.ts' },
  { name: 'HandDto', file: 'shared/meetings.ts' },
  { name: 'SpeakerDto', file: 'shared/meetings.ts' },
  { name: 'TimerDto', file: 'shared/meetings.ts' },
  { name: 'QuickVoteDto', file: 'shared/meetings.ts' },
  { name: 'MeetingAbilitiesDto', file: 'shared/meetings.ts' },
];

const MAX_DEPTH = 3;

/** Where shapes shared by server and client are declared (when present). */
const SHARED_DTOS = 'shared/dto.ts';

function program(root: string, files: string[]): ts.Program {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined };
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, host);
  if (!config) throw new Error('records: cannot read tsconfig.json');
  return ts.createProgram(
    files.map((f) => path.join(root, f)),
    { ...config.options, noEmit: true },
  );
}

function docOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ');
}

class Describer {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly named: Set<string>,
  ) {}

  private nameOf(type: ts.Type): string | undefined {
    return (type.aliasSymbol ?? type.getSymbol())?.name;
  }

  /** The object a field's type holds (through `| null` and arrays) whose fields get their own rows. */
  nested(type: ts.Type): { object: ts.Type; suffix: string } | null {
    const types = (type.isUnion() ? type.types : [type]).filter(
      (t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)),
    );
    if (types.length !== 1) return null;
    const [only] = types;
    if (this.checker.isArrayType(only)) {
      const inner = this.nested(this.checker.getTypeArguments(only as ts.TypeReference)[0]);
      return inner && inner.suffix === '.' ? { object: inner.object, suffix: '[].' } : null;
    }
    const plain =
      only.flags & ts.TypeFlags.Object &&
      only.getCallSignatures().length === 0 &&
      !this.named.has(this.nameOf(only) ?? '') &&
      this.nameOf(only) !== 'Date';
    return plain ? { object: only, suffix: '.' } : null;
  }

  text(type: ts.Type): string {
    if (type.flags & ts.TypeFlags.Boolean) return 'boolean';
    if (type.isUnion()) {
      let parts = type.types
        .filter((t) => !(t.flags & ts.TypeFlags.Undefined))
        .map((t) => this.text(t));
      if (parts.includes('true') && parts.includes('false')) {
        parts = ['boolean', ...parts.filter((p) => p !== 'true' && p !== 'false')];
      }
      // `null` last, as the code base writes it: `string | null`.
      const unique = [...new Set(parts)];
      return [...unique.filter((p) => p !== 'null'), ...unique.filter((p) => p === 'null')].join(
        ' | ',
      );
    }
    if (type.isStringLiteral()) return `'${type.value}'`;
    if (this.checker.isArrayType(type)) {
      const inner = this.text(this.checker.getTypeArguments(type as ts.TypeReference)[0]);
      return inner.includes(' ') ? `(${inner})[]` : `${inner}[]`;
    }
    const name = this.nameOf(type);
    if (name && this.named.has(name)) return name;
    if (this.nested(type)) return 'object';
    return this.checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation);
  }

  fields(props: ts.Symbol[], prefix: string, depth: number, out: RecordField[]): void {
    for (const prop of props) {
      const type = this.checker.getTypeOfSymbol(prop);
      const field = `${prefix}${prop.name}`;
      const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
      out.push({ field, type: this.text(type), optional, doc: docOf(prop, this.checker) });
      const inner = depth < MAX_DEPTH ? this.nested(type) : null;
      if (inner) {
        this.fields(inner.object.getProperties(), field + inner.suffix, depth + 1, out);
      }
    }
  }
}

/** The declared shape behind an exported symbol: own properties and included shapes. */
function shapeOf(
  symbol: ts.Symbol,
  checker: ts.TypeChecker,
): { props: ts.Symbol[]; includes: string[] } {
  const decl = symbol.declarations?.[0];
  const type = checker.getDeclaredTypeOfSymbol(symbol);
  if (decl && ts.isInterfaceDeclaration(decl)) {
    const includes = (decl.heritageClauses ?? []).flatMap((c) => c.types.map((t) => t.getText()));
    const own = type.getProperties().filter((p) => p.declarations?.some((d) => d.parent === decl));
    return { props: own, includes };
  }
  if (decl && ts.isTypeAliasDeclaration(decl) && ts.isIntersectionTypeNode(decl.type)) {
    const literals = decl.type.types.filter(ts.isTypeLiteralNode);
    const props = literals.flatMap((lit) => checker.getTypeAtLocation(lit).getProperties());
    const includes = decl.type.types
      .filter((t) => !ts.isTypeLiteralNode(t))
      .map((t) =>
        t
          .getText()
          .replace(/^\((.*)\)$/s, '$1')
          .replace(/\s+/g, ' '),
      );
    return { props, includes };
  }
  return { props: type.getProperties(), includes: [] };
}

/** Every record the reference describes, by name. */
export function loadRecords(root: string): RecordDoc[] {
  const presenters = readdirSync(path.join(root, 'server/src/presenters'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort()
    .map((f) => `server/src/presenters/${f}`);
  // The shared DTO module, where presenters may declare what they re-export.
  const scanned = existsSync(path.join(root, SHARED_DTOS))
    ? [...presenters, SHARED_DTOS]
    : presenters;
  const files = [...new Set([...scanned, ...EXTRA_RECORDS.map((r) => r.file)])];
  const prog = program(root, files);
  const checker = prog.getTypeChecker();
  const exportsOf = (file: string) => {
    const sf = prog.getSourceFile(path.join(root, file));
    const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) throw new Error(`records: cannot read ${file}`);
    return checker.getExportsOfModule(moduleSymbol);
  };

  // A re-export (`export type { X }`) is described where X is declared.
  const declared = (exported: ts.Symbol) => {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decl = symbol.declarations?.[0];
    const file = decl ? path.relative(root, decl.getSourceFile().fileName) : '';
    return { symbol, file: file.split(path.sep).join('/') };
  };
  const wanted: { name: string; file: string; symbol: ts.Symbol; returnOf?: string }[] = [];
  for (const file of scanned) {
    for (const exported of exportsOf(file)) {
      if (exported.name.endsWith('Dto'))
        wanted.push({ name: exported.name, ...declared(exported) });
    }
  }
  for (const extra of EXTRA_RECORDS) {
    const exported = exportsOf(extra.file).find((s) => s.name === (extra.returnOf ?? extra.name));
    if (!exported)
      throw new Error(`records: ${extra.file} exports no ${extra.returnOf ?? extra.name}`);
    wanted.push({ ...extra, ...declared(exported) });
  }

  const describer = new Describer(checker, new Set(wanted.map((w) => w.name)));
  const byName = new Map<string, RecordDoc>();
  for (const { name, file, symbol, returnOf } of wanted) {
    let shape: { props: ts.Symbol[]; includes: string[] };
    if (returnOf) {
      const [signature] = checker.getTypeOfSymbol(symbol).getCallSignatures();
      shape = { props: signature.getReturnType().getProperties(), includes: [] };
    } else {
      shape = shapeOf(symbol, checker);
    }
    const fields: RecordField[] = [];
    describer.fields(shape.props, '', 1, fields);
    const doc = returnOf
      ? `What \`${returnOf}\` returns. ${docOf(symbol, checker)}`
      : docOf(symbol, checker);
    const record = { name, file, doc: doc.trim(), includes: shape.includes, fields };
    const earlier = byName.get(name);
    const shapeText = (r: RecordDoc) => JSON.stringify([r.includes, r.fields]);
    if (earlier && shapeText(earlier) !== shapeText(record)) {
      throw new Error(`records: ${name} differs between ${earlier.file} and ${file}; rename one`);
    }
    if (!earlier) byName.set(name, record);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
