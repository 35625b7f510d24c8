/**
 * Email through nodemailer: SMTP in production (SMTP_URL or SMTP_HOST and
 * friends, see config.ts), any nodemailer transport in tests (the stream
 * transport renders the real message, headers included). Without SMTP the
 * composition root uses the {@link Outbox} instead.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailMessage, Mailer, Outbox } from './mailer.js';

/** SMTP as one URL (`smtps://user:pass@host:465`) or as separate settings (config.ts reads them). */
export type SmtpConfig =
  | { url: string }
  | {
      host: string;
      port: number;
      secure: boolean;
      auth: { user: string; pass: string } | null;
    };

/** The mail part of the configuration. */
export interface MailConfig {
  /** Null: the local outbox. */
  smtp: SmtpConfig | null;
  mailFrom: string;
}

/** A {@link Mailer} sending through a nodemailer transport, From the configured address. */
export class NodemailerMailer implements Mailer {
  constructor(
    readonly transport: Transporter,
    private readonly from: string,
  ) {}

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: message.headers,
    });
  }

  close(): void {
    this.transport.close();
  }
}

/** The nodemailer transport for an SMTP configuration. */
export function smtpTransport(smtp: SmtpConfig): Transporter {
  if ('url' in smtp) return nodemailer.createTransport(smtp.url);
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.auth ?? undefined,
  });
}

/** SMTP when configured, otherwise the local outbox. */
export function createMailer(config: MailConfig, outbox: Outbox): Mailer & { close?(): void } {
  return config.smtp ? new NodemailerMailer(smtpTransport(config.smtp), config.mailFrom) : outbox;
}

/** What carries mail, for start-up logs and the third-parties page (P3); never the credentials. */
export function describeMailTransport(config: Pick<MailConfig, 'smtp'>): string {
  if (!config.smtp) return 'local outbox (DATA_DIR/outbox)';
  const host = 'url' in config.smtp ? new URL(config.smtp.url).hostname : config.smtp.host;
  return `SMTP via ${host}`;
}
