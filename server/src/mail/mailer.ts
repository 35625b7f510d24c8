/**
 * Outgoing email. Production sends through SMTP (transport.ts, configured by
 * SMTP_URL or SMTP_HOST); development and tests use the outbox, which keeps
 * the latest messages in memory (listed at `/api/dev/outbox` in development)
 * and, with a data directory, writes each to `DATA_DIR/outbox` where a
 * developer can read it.
 *
 * Two families of email go through a Mailer. Account emails (verification,
 * password reset, sign-in link) and invitations are transactional: one message
 * someone asked for, carrying a single-use link, so they have no unsubscribe
 * link and are sent whatever the preferences. Notification emails (mail/
 * notifications.ts and the jobs) follow the person's email preferences and
 * always carry a one-click unsubscribe link and List-Unsubscribe headers (P11).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface SentMail extends MailMessage {
  sentAt: Date;
}

export class Outbox implements Mailer {
  readonly sent: SentMail[] = [];

  constructor(private readonly dir: string | null) {}

  send(message: MailMessage): Promise<void> {
    const mail = { ...message, sentAt: new Date() };
    this.sent.push(mail);
    if (this.sent.length > 1000) this.sent.shift();
    if (this.dir) {
      mkdirSync(this.dir, { recursive: true });
      const name = `${mail.sentAt.toISOString().replace(/[:.]/g, '-')}-${this.sent.length}.json`;
      writeFileSync(path.join(this.dir, name), JSON.stringify(mail, null, 2));
    }
    return Promise.resolve();
  }

  /** The latest messages (at most 1000), newest first. */
  latest(): SentMail[] {
    return [...this.sent].reverse();
  }

  /** Messages sent to one address, newest last. */
  to(address: string): SentMail[] {
    return this.sent.filter((m) => m.to === address.toLowerCase() || m.to === address);
  }
}
