import { expect } from 'chai';
import * as Y from 'yjs';
import { FRAGMENT, seedFromMarkdown, toMarkdown } from './collab-markdown.js';

function docOf(markdown: string): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, seedFromMarkdown(markdown));
  return doc;
}

/** The href of every link mark in the document's first paragraph-like block. */
function hrefs(doc: Y.Doc): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (node instanceof Y.XmlText) {
      for (const part of node.toDelta() as Array<{ attributes?: { link?: { href: string } } }>)
        if (part.attributes?.link) out.push(part.attributes.link.href);
    } else if (node instanceof Y.XmlElement || node instanceof Y.XmlFragment) {
      node.toArray().forEach(walk);
    }
  };
  walk(doc.getXmlFragment(FRAGMENT));
  return out;
}

describe('collab-markdown: links and hostile text between Markdown and Yjs', () => {
  it('seeds only links the web client would show as links; the rest stays text', () => {
    const doc = docOf(
      [
        'See [the agenda](https://example.org/agenda), [us](mailto:a@example.org) and [page](/d/abc).',
        '- [backslash](/\\evil.example)',
        '- [protocol relative](//evil.example/d/1)',
        '- [script](javascript:window.__pwned="link")',
        '- [data](data:text/html;base64,PHNjcmlwdD4=)',
        '- [lenient](https:evil.example)',
      ].join('\n'),
    );
    expect(hrefs(doc)).to.deep.equal([
      'https://example.org/agenda',
      'mailto:a@example.org',
      '/d/abc',
    ]);
    const markdown = toMarkdown(doc);
    expect(markdown).to.contain('[the agenda](https://example.org/agenda)');
    expect(markdown).to.contain('- backslash');
    expect(markdown).to.not.match(/\]\((javascript|data|\/\\|\/\/|https:evil)/);
  });

  it('writes no hostile link into the Markdown, whatever a client put in the document', () => {
    const doc = new Y.Doc();
    const paragraph = new Y.XmlElement('paragraph');
    doc.getXmlFragment(FRAGMENT).insert(0, [paragraph]);
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    text.insert(0, 'a', { link: { href: 'javascript:alert(1)' } });
    text.insert(1, ' b', { link: { href: '/\\evil.example' } });
    text.insert(3, ' c', { link: { href: 'https://example.org/a_(b)' } });
    expect(toMarkdown(doc)).to.equal('a b[ c](https://example.org/a_%28b%29)');
  });

  it('seeds a text of thousands of marks quickly, and the same items every time', () => {
    const hostile = `${'a *b'.repeat(20000)}\n\n${'[unclosed](/d/x '.repeat(200)}`;
    const started = Date.now();
    const first = seedFromMarkdown(hostile);
    expect(Date.now() - started).to.be.below(3000);
    expect(Buffer.from(seedFromMarkdown(hostile)).equals(Buffer.from(first))).to.equal(true);
    expect(toMarkdown(docOf(hostile))).to.contain('\\[unclosed\\](/d/x');
  });
});
