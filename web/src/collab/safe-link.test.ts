import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { expect } from 'chai';
import { EXTERNAL_REL, linkSpec, SafeLink } from './safe-link.js';

const ORIGIN = 'https://quorum.example';
const HOSTILE = [
  '/\\evil.example',
  '//evil.example/d/1',
  'javascript:window.__pwned="link"',
  'JaVaScRiPt:alert(1)',
  'data:text/html;base64,PHNjcmlwdD4=',
  'https:evil.example',
  'https://quorum.example@evil.example/',
  'https://evil.example\u202e/gpj.exe',
  '',
];

describe('SafeLink: links in the collaborative editor follow the app’s link rule', () => {
  it('draws the app’s pages as client-side paths, other addresses as plain links that share nothing', () => {
    expect(linkSpec('/d/abc#comment-1', ORIGIN)).to.deep.equal([
      'a',
      { href: '/d/abc#comment-1' },
      0,
    ]);
    expect(linkSpec(`${ORIGIN}/settings`, ORIGIN)).to.deep.equal(['a', { href: '/settings' }, 0]);
    expect(linkSpec('https://example.org/agenda', ORIGIN)).to.deep.equal([
      'a',
      { href: 'https://example.org/agenda', rel: EXTERNAL_REL },
      0,
    ]);
    expect(linkSpec('mailto:board@example.org', ORIGIN)).to.deep.equal([
      'a',
      { href: 'mailto:board@example.org', rel: EXTERNAL_REL },
      0,
    ]);
    // A same-origin path that is no page: the browser loads it, the router never sees it.
    expect(linkSpec('/nowhere/at/all', ORIGIN)).to.deep.equal([
      'a',
      { href: `${ORIGIN}/nowhere/at/all`, rel: EXTERNAL_REL },
      0,
    ]);
    expect(EXTERNAL_REL.split(' ').sort()).to.deep.equal(['nofollow', 'noopener', 'noreferrer']);
  });

  it('draws every other href as its text alone, whatever the trick', () => {
    for (const href of [...HOSTILE, null, undefined, 42, { href: '/d/x' }])
      expect(linkSpec(href, ORIGIN), JSON.stringify(href) ?? 'undefined').to.deep.equal([
        'span',
        {},
        0,
      ]);
  });

  const schema = getSchema([StarterKit.configure({ link: false }), SafeLink]);
  const link = schema.marks.link;

  it('renders a mark from its href only: attributes another client stored are ignored', () => {
    const mark = link.create({
      href: 'https://example.org/',
      target: '_self',
      rel: 'opener',
      class: 'button primary',
      title: 'Click me',
    });
    expect(link.spec.toDOM!(mark, true)).to.deep.equal([
      'a',
      { href: 'https://example.org/', rel: EXTERNAL_REL },
      0,
    ]);
    const hostile = link.create({ href: 'javascript:alert(1)', class: 'x' });
    expect(link.spec.toDOM!(hostile, true)).to.deep.equal(['span', {}, 0]);
  });

  it('refuses to make links of what the rule refuses (pasting, typing, commands)', () => {
    const options = SafeLink.options;
    const allowed = (url: string) =>
      options.isAllowedUri(url, {
        defaultValidate: () => true,
        protocols: [],
        defaultProtocol: 'http',
      });
    for (const href of HOSTILE) expect(allowed(href), href).to.equal(false);
    for (const href of ['/d/abc', 'https://example.org/agenda', 'mailto:board@example.org'])
      expect(allowed(href), href).to.equal(true);
    expect(options.openOnClick).to.equal(false);
    expect(options.HTMLAttributes).to.deep.equal({ target: null, rel: null, class: null });
  });
});
