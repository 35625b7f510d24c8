import { expect } from 'chai';
import { createElement, Fragment } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { renderMarkdown, type MarkdownOptions } from './markdown-react.js';

/** The HTML React makes of a text (links resolve against http://localhost, as in Node). */
function html(source: string, options?: MarkdownOptions): string {
  return renderToStaticMarkup(
    createElement(
      MemoryRouter,
      null,
      createElement(Fragment, null, ...renderMarkdown(source, options)),
    ),
  );
}

describe('Markdown rendered as React elements', () => {
  it('renders the numbered list of the demo context as a list', () => {
    expect(html('Two things:\n\n1. **When.** Mornings.\n2. The bays.\n\nVote below!')).to.equal(
      '<p>Two things:</p><ol><li><p><strong>When.</strong> Mornings.</p></li>' +
        '<li><p>The bays.</p></li></ol><p>Vote below!</p>',
    );
  });

  it('renders lists, quotes, inline code and a numbered list that starts later', () => {
    expect(html('- a\n- *b*\n\n> said `x`\n\n3. three')).to.equal(
      '<ul><li><p>a</p></li><li><p><em>b</em></p></li></ul>' +
        '<blockquote><p>said <code>x</code></p></blockquote><ol start="3"><li><p>three</p></li></ol>',
    );
  });

  it('shows HTML tags as text', () => {
    const out = html('<script>alert(1)</script> <img src=x onerror=alert(1)> **<b>hi</b>**');
    expect(out).to.equal(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; ' +
        '<strong>&lt;b&gt;hi&lt;/b&gt;</strong></p>',
    );
  });

  it('never makes javascript:, data:, protocol-relative or credential links into links', () => {
    for (const href of [
      'javascript:alert`1`',
      'JaVaScRiPt:alert`1`',
      'data:text/html;base64,PHNjcmlwdD4=',
      '//evil.example/x',
      'https://trusted.example@evil.example/',
      'https:evil.example',
    ]) {
      const out = html(`[click me](${href})`);
      expect(out, href).to.equal('<p><span>click me</span></p>');
    }
  });

  it('makes web addresses plain links in a new tab, and the app’s own pages client-side links', () => {
    expect(html('[plan](https://example.org/plan) and https://example.org/x.')).to.equal(
      '<p><a href="https://example.org/plan" rel="noopener noreferrer nofollow" target="_blank">plan</a>' +
        ' and <a href="https://example.org/x" rel="noopener noreferrer nofollow" target="_blank">' +
        'https://example.org/x</a>.</p>',
    );
    expect(html('[the garden](/g/garden)')).to.equal(
      '<p><a href="/g/garden" data-discover="true">the garden</a></p>',
    );
  });

  it('keeps line breaks as typed with `breaks`, marks mentions outside code and links', () => {
    expect(
      html('hi @amara\n`@tomas` [@zoe](https://x.example)', { breaks: true, mentions: true }),
    ).to.equal(
      '<p>hi <span class="mention">@amara</span><br/><code>@tomas</code> ' +
        '<a href="https://x.example/" rel="noopener noreferrer nofollow" target="_blank">@zoe</a></p>',
    );
  });

  it('puts headings under the page’s own, never past h6', () => {
    expect(html('# One\n###### Six', { topLevel: 4 })).to.equal('<h4>One</h4><h6>Six</h6>');
  });
});
