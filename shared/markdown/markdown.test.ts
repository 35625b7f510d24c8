import { expect } from 'chai';
import { MAX_DEPTH, parseBlocks, type Block } from './blocks.js';
import { MAX_INLINE_DEPTH, parseInline, type Inline } from './inline.js';
import { markdownToPlainText, mentionableText } from './plain-text.js';

/** The characters of an inline tree, markup dropped. */
function textOf(nodes: Inline[]): string {
  return nodes
    .map((n) =>
      n.type === 'text' || n.type === 'code'
        ? n.text
        : n.type === 'break'
          ? '\n'
          : textOf(n.children),
    )
    .join('');
}

/** How deep quotes and lists nest in a tree of blocks. */
function blockDepth(blocks: Block[]): number {
  let deepest = 0;
  for (const b of blocks) {
    if (b.type === 'quote') deepest = Math.max(deepest, 1 + blockDepth(b.children));
    if (b.type === 'list')
      deepest = Math.max(deepest, 1 + Math.max(0, ...b.items.map((item) => blockDepth(item))));
  }
  return deepest;
}

function inlineDepth(nodes: Inline[]): number {
  let deepest = 0;
  for (const n of nodes)
    if (n.type === 'strong' || n.type === 'em' || n.type === 'strike' || n.type === 'link')
      deepest = Math.max(deepest, 1 + inlineDepth(n.children));
  return deepest;
}

describe('Markdown blocks', () => {
  it('reads the demo context: a paragraph, a numbered list of two items, a paragraph', () => {
    const blocks = parseBlocks(
      'Two things to sort out:\n\n1. **When.** Saturday mornings clash.\n' +
        '2. **The new compost bays.** Priya has the pallets.\n\nVote below!',
    );
    expect(blocks.map((b) => b.type)).to.deep.equal(['paragraph', 'list', 'paragraph']);
    const list = blocks[1] as Extract<Block, { type: 'list' }>;
    expect(list.ordered).to.equal(true);
    expect(list.start).to.equal(1);
    expect(list.items).to.have.length(2);
    expect(list.items[1]).to.deep.equal([
      { type: 'paragraph', text: '**The new compost bays.** Priya has the pallets.' },
    ]);
  });

  it('lets a list follow a line of text without a blank line, and keeps its first number', () => {
    const blocks = parseBlocks('Agenda:\n1. Budget\n2. Garden\n\n3. Later\n4. Last');
    expect(blocks.map((b) => b.type)).to.deep.equal(['paragraph', 'list']);
    expect((blocks[1] as Extract<Block, { type: 'list' }>).items).to.have.length(4);
    const started = parseBlocks('3. three\n4. four')[0] as Extract<Block, { type: 'list' }>;
    expect(started.start).to.equal(3);
  });

  it('nests lists by indentation (two spaces under a number too) and continues items', () => {
    const [list] = parseBlocks('1. first\n  - inner a\n  - inner b\n2. second\n   still second');
    expect(list.type).to.equal('list');
    const items = (list as Extract<Block, { type: 'list' }>).items;
    expect(items).to.have.length(2);
    expect(items[0].map((b) => b.type)).to.deep.equal(['paragraph', 'list']);
    expect(items[1]).to.deep.equal([{ type: 'paragraph', text: 'second\nstill second' }]);
  });

  it('ends a list at a different marker, and a bulleted list is not numbered', () => {
    const blocks = parseBlocks('- a\n- b\n1. one');
    expect(blocks.map((b) => (b.type === 'list' ? b.ordered : b.type))).to.deep.equal([
      false,
      true,
    ]);
  });

  it('reads quotes (with lists inside), headings, rules and fenced code', () => {
    const blocks = parseBlocks(
      '# Title #\n> quoted\n> - item\n\n---\n```js\nconst a = **b**;\n```\n## Sub',
    );
    expect(blocks.map((b) => b.type)).to.deep.equal([
      'heading',
      'quote',
      'rule',
      'code',
      'heading',
    ]);
    expect(blocks[0]).to.deep.equal({ type: 'heading', level: 1, text: 'Title' });
    const quote = blocks[1] as Extract<Block, { type: 'quote' }>;
    expect(quote.children.map((b) => b.type)).to.deep.equal(['paragraph', 'list']);
    expect(blocks[3]).to.deep.equal({ type: 'code', text: 'const a = **b**;', language: 'js' });
  });

  it('is not a heading without a space, and a lone number in text is not a list', () => {
    expect(parseBlocks('#hashtag')[0].type).to.equal('paragraph');
    expect(parseBlocks('We met in\n2024. It rained.')).to.deep.equal([
      { type: 'paragraph', text: 'We met in\n2024. It rained.' },
    ]);
  });
});

describe('Markdown inline', () => {
  it('reads bold, italics, strike-through and code', () => {
    expect(parseInline('**b** *i* _u_ ~~s~~ `c`')).to.deep.equal([
      { type: 'strong', children: [{ type: 'text', text: 'b' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'i' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'u' }] },
      { type: 'text', text: ' ' },
      { type: 'strike', children: [{ type: 'text', text: 's' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'c' },
    ]);
    expect(parseInline('***both***')).to.deep.equal([
      { type: 'strong', children: [{ type: 'em', children: [{ type: 'text', text: 'both' }] }] },
    ]);
  });

  it('leaves words_with_underscores, arithmetic and unmatched marks as text', () => {
    for (const text of ['snake_case_name', '2 * 3 * 4', '**unclosed', 'a ** b', '`open'])
      expect(parseInline(text)).to.deep.equal([{ type: 'text', text }]);
  });

  it('does not close emphasis inside code, and does not read marks in code', () => {
    expect(parseInline('*a `*` b*')).to.deep.equal([
      {
        type: 'em',
        children: [
          { type: 'text', text: 'a ' },
          { type: 'code', text: '*' },
          { type: 'text', text: ' b' },
        ],
      },
    ]);
  });

  it('reads links with formatted labels, and bare addresses without trailing punctuation', () => {
    expect(parseInline('[the **plan**](https://example.org/p)')).to.deep.equal([
      {
        type: 'link',
        href: 'https://example.org/p',
        children: [
          { type: 'text', text: 'the ' },
          { type: 'strong', children: [{ type: 'text', text: 'plan' }] },
        ],
      },
    ]);
    const auto = parseInline('(see https://example.org/wiki/A_(b)).');
    expect(auto[1]).to.deep.equal({
      type: 'link',
      href: 'https://example.org/wiki/A_(b)',
      children: [{ type: 'text', text: 'https://example.org/wiki/A_(b)' }],
      auto: true,
    });
    expect(textOf(auto)).to.equal('(see https://example.org/wiki/A_(b)).');
  });

  it('keeps javascript: addresses as written (whether they become links is decided when shown)', () => {
    expect(parseInline('[x](javascript:alert(1))')).to.deep.equal([
      { type: 'text', text: '[x](javascript:alert(1))' },
    ]);
    expect(parseInline('[x](javascript:alert`1`)')[0]).to.deep.include({
      type: 'link',
      href: 'javascript:alert`1`',
    });
  });

  it('keeps HTML as text', () => {
    const text = '<script>alert(1)</script><img src=x onerror=alert(1)>';
    expect(parseInline(text)).to.deep.equal([{ type: 'text', text }]);
  });

  it('joins lines with a space, or breaks them: always with `breaks`, else after two spaces', () => {
    expect(parseInline('one\ntwo')).to.deep.equal([{ type: 'text', text: 'one two' }]);
    expect(parseInline('one  \ntwo')).to.deep.equal([
      { type: 'text', text: 'one' },
      { type: 'break' },
      { type: 'text', text: 'two' },
    ]);
    expect(parseInline('one\ntwo', { breaks: true })).to.deep.equal([
      { type: 'text', text: 'one' },
      { type: 'break' },
      { type: 'text', text: 'two' },
    ]);
    expect(parseInline('\\*not\\*')).to.deep.equal([{ type: 'text', text: '*not*' }]);
  });
});

describe('Markdown against hostile input', () => {
  it(`nests quotes at most ${MAX_DEPTH} deep and shows deeper markers as text`, () => {
    const blocks = parseBlocks(`${'>'.repeat(50_000)} deep`);
    expect(blockDepth(blocks)).to.equal(MAX_DEPTH);
    expect(markdownToPlainText(`${'>'.repeat(50_000)} deep`)).to.include('> deep');
  });

  it(`nests lists at most ${MAX_DEPTH} deep, however they are indented`, () => {
    const nested = Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- level ${i}`);
    expect(blockDepth(parseBlocks(nested.join('\n')))).to.equal(MAX_DEPTH);
    expect(blockDepth(parseBlocks('- '.repeat(20_000) + 'x'))).to.equal(MAX_DEPTH);
  });

  it(`nests emphasis at most ${MAX_INLINE_DEPTH} deep and loses no character`, () => {
    const deep = `${'*a _b '.repeat(5_000)}x${' b_ a*'.repeat(5_000)}`;
    const nodes = parseInline(deep);
    expect(inlineDepth(nodes)).to.be.at.most(MAX_INLINE_DEPTH);
    expect(textOf(nodes).replace(/[*_]/g, '')).to.equal(deep.replace(/[*_]/g, ''));
  });

  it('reads huge texts of unmatched marks as the text they are', () => {
    for (const unit of ['[', '[a](', '**', '*a', '`', 'http://', '](', '_a_b', '~']) {
      const text = `x ${unit.repeat(Math.ceil(400_000 / unit.length))} y`;
      expect(textOf(parseInline(text)).length, unit).to.be.at.least(text.length - 400_002);
    }
    const brackets = '['.repeat(300_000);
    expect(parseInline(brackets)).to.deep.equal([{ type: 'text', text: brackets }]);
  });

  it('reads a huge document of many blocks', () => {
    const doc = Array.from({ length: 20_000 }, (_, i) => `${i + 1}. item **${i}**`).join('\n');
    const [list] = parseBlocks(doc);
    expect((list as Extract<Block, { type: 'list' }>).items).to.have.length(20_000);
  });

  it('gives up on addresses too long to be real, keeping them as text', () => {
    const long = `https://example.org/${'a'.repeat(5000)}`;
    expect(parseInline(long)).to.deep.equal([{ type: 'text', text: long }]);
    const parens = `http://${')'.repeat(200_000)}`;
    expect(textOf(parseInline(parens))).to.equal(parens);
  });
});

describe('Markdown as plain text', () => {
  it('drops emphasis, keeps list and quote markers, writes links as label (address)', () => {
    expect(
      markdownToPlainText(
        'Read **this** and [the plan](https://example.org/p) and [bad](javascript:alert`1`).\n\n' +
          '1. one\n2. two\n   - sub\n\n> quoted `code`',
      ),
    ).to.equal(
      'Read this and the plan (https://example.org/p) and bad.\n\n' +
        '1. one\n2. two\n   - sub\n\n> quoted code',
    );
  });

  it('finds mention words outside code and links only', () => {
    const words = mentionableText(
      '`@amara` [@meiling](https://x.example/@zoe) https://social.example/@priya and @tomas\n\n' +
        '```\n@jonah\n```\n> - @samir',
    );
    expect(words).to.include('@tomas').and.include('@samir');
    for (const handle of ['@amara', '@meiling', '@zoe', '@priya', '@jonah'])
      expect(words).not.to.include(handle);
  });
});
