import { expect } from 'chai';
import { ConfigError, loadConfig } from '../config.js';
import { Outbox } from './mailer.js';
import { createMailer, describeMailTransport, NodemailerMailer } from './transport.js';

const env = { NODE_ENV: 'test', DATA_DIR: ':memory:' };

describe('mail transport configuration', () => {
  it('uses the local outbox without SMTP, and SMTP when configured', () => {
    const outbox = new Outbox(null);
    const plain = loadConfig(env);
    expect(plain.smtp).to.equal(null);
    expect(plain.mailFrom).to.equal('Quorum <no-reply@localhost>');
    expect(createMailer(plain, outbox)).to.equal(outbox);
    expect(describeMailTransport(plain)).to.match(/outbox/);

    const smtp = loadConfig({
      ...env,
      SMTP_HOST: 'mail.example.org',
      SMTP_USER: 'q',
      SMTP_PASS: 'p',
    });
    expect(smtp.smtp).to.deep.equal({
      host: 'mail.example.org',
      port: 587,
      secure: false,
      auth: { user: 'q', pass: 'p' },
    });
    const mailer = createMailer(smtp, outbox);
    expect(mailer).to.be.instanceOf(NodemailerMailer);
    mailer.close?.();
    expect(describeMailTransport(smtp)).to.equal('SMTP via mail.example.org');
    expect(loadConfig({ ...env, SMTP_HOST: 'mx.example.org', SMTP_PORT: '465' }).smtp).to.include({
      secure: true,
    });
  });

  it('refuses contradictory SMTP settings without echoing secrets', () => {
    const fail = (vars: Record<string, string>) => {
      try {
        loadConfig({ ...env, ...vars });
      } catch (error) {
        if (error instanceof ConfigError) return error;
      }
      throw new Error('expected a ConfigError');
    };
    expect(fail({ SMTP_URL: 'smtp://a', SMTP_HOST: 'b' }).issues[0].variable).to.equal('SMTP_URL');
    expect(fail({ SMTP_USER: 'q', SMTP_HOST: 'b' }).issues[0].variable).to.equal('SMTP_PASS');
    expect(fail({ SMTP_PORT: '25' }).issues[0].variable).to.equal('SMTP_HOST');
    const bad = fail({ SMTP_URL: 'http://user:hunter2@x' });
    expect(bad.message).not.to.include('hunter2');
    expect(fail({ MAIL_FROM: 'nobody' }).issues[0].variable).to.equal('MAIL_FROM');
  });
});
