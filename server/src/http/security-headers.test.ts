/**
 * P1, P10, P13: every response carries a Content-Security-Policy that allows
 * only Quorum's own origin, the other helmet headers, HSTS behind https, and
 * the session cookie is the only cookie the server ever sets.
 */
import { expect } from 'chai';
import { buildUser, TEST_PASSWORD } from '../test/factories.js';
import { clearRateLimits, setCookies } from '../test/factories-accounts.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { SESSION_COOKIE } from '../auth/session-token.js';
import { cspDirectives } from './security-headers.js';

function expectSecurityHeaders(headers: Headers): void {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp).to.include("default-src 'self'");
  expect(csp).to.include("script-src 'self'");
  expect(csp).to.include("style-src 'self'");
  expect(csp).to.include("connect-src 'self'");
  expect(csp).to.include("img-src 'self' data:");
  expect(csp).to.include("frame-ancestors 'none'");
  expect(csp).to.include("object-src 'none'");
  expect(csp).not.to.include('unsafe-inline');
  expect(csp).not.to.include('unsafe-eval');
  // Only 'self', 'none' and data: images: no foreign origin is allowed anywhere.
  expect(csp).not.to.match(/https?:|wss?:|\*/);
  expect(headers.get('referrer-policy')).to.equal('no-referrer');
  expect(headers.get('x-content-type-options')).to.equal('nosniff');
  expect(headers.get('x-frame-options')).to.equal('DENY');
  expect(headers.get('cross-origin-opener-policy')).to.equal('same-origin');
  expect(headers.get('permissions-policy')).to.include('camera=()');
  expect(headers.get('x-powered-by')).to.equal(null);
}

describe('security headers (P1, P10, P13)', () => {
  describe('over http', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp();
    });
    after(() => app?.close());

    it('are on API responses, successes and errors alike', async () => {
      for (const path of ['/api/health', '/api/me', '/api/no-such-route']) {
        const res = await app.get(path);
        expectSecurityHeaders(res.headers);
        expect(res.headers.get('strict-transport-security'), path).to.equal(null);
        expect(res.headers.get('content-security-policy')).not.to.include(
          'upgrade-insecure-requests',
        );
      }
    });

    it('are on page responses', async () => {
      for (const path of ['/', '/privacy', '/d/anything']) {
        const res = await fetch(app.url + path);
        await res.arrayBuffer();
        expectSecurityHeaders(res.headers);
      }
    });

    it('the session cookie is the only cookie', async () => {
      await clearRateLimits();
      const user = await buildUser();
      const signIn = await app.post('/api/auth/signin', {
        email: user.email,
        password: TEST_PASSWORD,
      });
      expect(signIn.status).to.equal(200);
      const cookies = setCookies(signIn);
      expect(cookies).to.have.length(1);
      expect(cookies[0]).to.match(new RegExp(`^${SESSION_COOKIE}=`));
      expect(cookies[0]).to.include('HttpOnly').and.to.include('SameSite=Lax');
      expect(cookies[0]).not.to.include('Secure');
      for (const path of ['/api/me', '/api/health', '/', '/api/privacy/policy']) {
        const res = await app.get(path, { as: user });
        expect(setCookies(res), path).to.deep.equal([]);
      }
    });
  });

  describe('behind https', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ PUBLIC_URL: 'https://quorum.example.org' });
    });
    after(() => app?.close());

    it('adds HSTS, upgrades insecure requests and marks the cookie Secure', async () => {
      const res = await app.get('/api/health');
      expectSecurityHeaders(res.headers);
      expect(res.headers.get('strict-transport-security')).to.match(/max-age=31536000/);
      expect(res.headers.get('content-security-policy')).to.include('upgrade-insecure-requests');
      await clearRateLimits();
      const user = await buildUser();
      const signIn = await app.post('/api/auth/signin', {
        email: user.email,
        password: TEST_PASSWORD,
      });
      expect(setCookies(signIn)).to.have.length(1);
      expect(setCookies(signIn)[0]).to.include('Secure');
    });
  });

  it("relaxes inline scripts and styles for Vite's development server only", () => {
    const dev = cspDirectives({ publicUrl: 'http://localhost:3000', viteDevServer: true });
    expect(dev['script-src']).to.include("'unsafe-inline'");
    const prod = cspDirectives({ publicUrl: 'http://localhost:3000' });
    expect(prod['script-src']).to.deep.equal(["'self'"]);
    expect(prod['style-src']).to.deep.equal(["'self'"]);
  });
});
