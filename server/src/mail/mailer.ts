/**
 * Outgoing email. Production sends through SMTP (configured later by the
 * notifications work); development and tests use the outbox, which keeps every
 * message in memory and, with a data directory, writes it to `DATA_DIR/outbox`
 * where a developer can read it.
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

  /** Messages sent to one address, newest last. */
  to(address: string): SentMail[] {
    return this.sent.filter((m) => m.to === address.toLowerCase() || m.to === address);
  }
}
