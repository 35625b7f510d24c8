import { expect } from 'chai';
import { classifyLink, MAX_LINK_LENGTH } from './links.js';

const ORIGIN = 'https://quorum.example';
const kind = (href: string) => classifyLink(href, ORIGIN);

describe('classifyLink: what a link written in Markdown may become', () => {
  it('keeps paths of the app’s own pages client-side, normalised', () => {
    expect(kind('/d/64b7f0c2a1b2c3d4e5f60718')).to.deep.equal({
      kind: 'internal',
      to: '/d/64b7f0c2a1b2c3d4e5f60718',
    });
    expect(kind('/d/abc#comment-def')).to.deep.equal({
      kind: 'internal',
      to: '/d/abc#comment-def',
    });
    expect(kind('/g/garden/members')).to.deep.equal({ kind: 'internal', to: '/g/garden/members' });
    expect(kind('/settings?x=1#email-notifications')).to.deep.equal({
      kind: 'internal',
      to: '/settings?x=1#email-notifications',
    });
    expect(kind('/')).to.deep.equal({ kind: 'internal', to: '/' });
    expect(kind('/groups/./new')).to.deep.equal({ kind: 'internal', to: '/groups/new' });
  });

  it('keeps absolute links to this origin’s pages client-side too', () => {
    expect(kind('https://quorum.example/privacy')).to.deep.equal({
      kind: 'internal',
      to: '/privacy',
    });
    expect(kind('HTTPS://QUORUM.EXAMPLE/d/1')).to.deep.equal({ kind: 'internal', to: '/d/1' });
  });

  it('lets the browser load same-origin paths that are no page of the app', () => {
    expect(kind('/uploads/minutes.pdf')).to.deep.equal({
      kind: 'external',
      href: 'https://quorum.example/uploads/minutes.pdf',
    });
    expect(kind('/d/1/2')).to.deep.equal({
      kind: 'external',
      href: 'https://quorum.example/d/1/2',
    });
    expect(kind('https://quorum.example/api/me').kind).to.equal('external');
  });

  it('makes http(s) and mailto addresses plain links', () => {
    expect(kind('https://example.org/a?b=c#d')).to.deep.equal({
      kind: 'external',
      href: 'https://example.org/a?b=c#d',
    });
    expect(kind('http://example.org')).to.deep.equal({
      kind: 'external',
      href: 'http://example.org/',
    });
    expect(kind('mailto:board@example.org')).to.deep.equal({
      kind: 'external',
      href: 'mailto:board@example.org',
    });
    expect(kind('http://quorum.example/d/1').kind).to.equal('external'); // another origin (scheme)
    expect(kind('https://quorum.example:8443/d/1').kind).to.equal('external'); // and port
  });

  const hostile = [
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    '//evil.example',
    '//evil.example/d/1',
    '///evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    'javascript://example.org/%0aalert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'blob:https://quorum.example/1234',
    'https:evil.example',
    'https:/evil.example',
    'https:\\\\evil.example',
    'http://',
    'https://',
    'https://trusted.example@evil.example',
    'https://user:pass@quorum.example/d/1',
    'https://evil.example\u202e/gpj.exe',
    'https://exa\u200bmple.org',
    '/d/1\u0000',
    '/d/1\n',
    'mailto:',
    'mailto:a@b.example\r\nBcc:c@d.example',
    'relative/path',
    './d/1',
    '../d/1',
    '#top',
    '?q=1',
    'http://[::1',
    'https://%zz',
    '',
    `https://example.org/${'a'.repeat(MAX_LINK_LENGTH)}`,
  ];
  for (const href of hostile) {
    it(`shows ${JSON.stringify(href.slice(0, 60))} as text, or at most as a plain link elsewhere`, () => {
      const target = kind(href);
      expect(target.kind, 'never client-side').to.not.equal('internal');
      if (target.kind === 'external') {
        const url = new URL(target.href);
        expect(['http:', 'https:', 'mailto:']).to.include(url.protocol);
        expect(url.origin === ORIGIN || url.protocol === 'mailto:', target.href).to.equal(false);
      }
    });
  }

  it('shows backslash, protocol-relative and script links as text exactly', () => {
    for (const href of ['/\\evil.example', '//evil.example', 'javascript:alert(1)', 'data:,x'])
      expect(kind(href), href).to.deep.equal({ kind: 'text' });
  });

  it('never offers the router a path it would refuse', () => {
    const samples = [
      '/%5Cevil.example/..',
      '/d/%2F%2Fevil.example',
      '/g/%5C%5Cevil/members',
      '/d/%zz',
      '/%2F%2Fevil',
    ];
    for (const href of samples) {
      const target = kind(href);
      if (target.kind !== 'internal') continue;
      expect(target.to.startsWith('/') && !target.to.startsWith('//'), href).to.equal(true);
      expect(new URL(target.to, ORIGIN).origin).to.equal(ORIGIN);
    }
  });
});
