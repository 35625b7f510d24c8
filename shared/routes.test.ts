import { expect } from 'chai';
import {
  accountLinkPath,
  appUrl,
  discussionPath,
  emailSettingsPath,
  groupPath,
  joinLinkPath,
  invitationPath,
  matchRoute,
  unsubscribePath,
} from './routes.js';

describe('the route table shared by the web client and the emails', () => {
  it('builds paths that name the client’s pages', () => {
    expect(discussionPath('abc')).to.equal('/d/abc');
    expect(discussionPath('abc', { commentId: 'c1' })).to.equal('/d/abc#comment-c1');
    expect(discussionPath('abc', { pollId: 'p1' })).to.equal('/d/abc#poll-p1');
    expect(discussionPath('abc', { commentId: 'c1', pollId: 'p1' })).to.equal('/d/abc#comment-c1');
    expect(emailSettingsPath()).to.equal('/settings#email-notifications');
    expect(accountLinkPath('password_reset', 'a+b/c')).to.equal('/reset-password?token=a%2Bb%2Fc');
    expect(appUrl('https://q.example/', '/privacy')).to.equal('https://q.example/privacy');
    const built = [
      discussionPath('abc'),
      groupPath({ id: 'g1', handle: 'garden' }),
      groupPath({ id: 'g1', handle: null }),
      joinLinkPath('tok'),
      invitationPath('tok_en-1'),
      unsubscribePath('a.b.c'),
      emailSettingsPath().split('#')[0],
      accountLinkPath('verify_email', 't').split('?')[0],
      accountLinkPath('signin_link', 't').split('?')[0],
    ];
    for (const path of built) expect(matchRoute(path), path).to.not.equal(null);
  });

  it('matches like the router: parameters, splats, trailing slashes, and nothing else', () => {
    expect(matchRoute('/')).to.equal('home');
    expect(matchRoute('/d/123')).to.equal('discussion');
    expect(matchRoute('/d/123/')).to.equal('discussion');
    expect(matchRoute('/groups/new')).to.equal('newGroup');
    expect(matchRoute('/g/garden')).to.equal('group');
    expect(matchRoute('/g/garden/members')).to.equal('group');
    expect(matchRoute('/settings')).to.equal('settings');
    expect(matchRoute('/discussions/123')).to.equal(null);
    expect(matchRoute('/settings/email')).to.equal(null);
    expect(matchRoute('/d')).to.equal(null);
    expect(matchRoute('/d/1/2')).to.equal(null);
    expect(matchRoute('/g')).to.equal(null);
    expect(matchRoute('/d/%zz')).to.equal(null);
    expect(matchRoute('d/1')).to.equal(null);
  });
});
