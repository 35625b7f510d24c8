/**
 * The third parties that receive personal data (P3), derived from what this
 * server is configured to use, so the /third-parties page cannot drift from
 * reality: an SMTP server when mail is sent through one, an external database
 * when MONGODB_URI is set. The embedded engine and the local outbox keep
 * everything on this server, and then the list is empty. Host names only:
 * never a credential from a URL.
 */
import type { ThirdPartyDto } from '../../../shared/dto.js';
import type { Config } from '../config.js';

export type ThirdPartyConfig = Partial<Pick<Config, 'smtp' | 'mongodbUri'>>;

/** The host names of a mongodb:// URI (several for a replica set), without credentials or ports. */
export function mongoHosts(uri: string): string[] {
  const rest = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  const authority = rest.split(/[/?]/)[0] ?? '';
  const hosts = authority.slice(authority.lastIndexOf('@') + 1);
  return hosts
    .split(',')
    .map((h) => h.replace(/:\d+$/, '').trim())
    .filter((h) => h !== '');
}

function smtpHost(smtp: NonNullable<Config['smtp']>): string {
  return 'url' in smtp ? new URL(smtp.url).hostname : smtp.host;
}

export function thirdParties(config: ThirdPartyConfig): ThirdPartyDto[] {
  const list: ThirdPartyDto[] = [];
  if (config.smtp) {
    list.push({
      id: 'mail',
      name: `Email delivery: the SMTP server ${smtpHost(config.smtp)}`,
      purpose:
        'Delivers the emails Quorum sends: sign-in links, password resets, invitations, notifications and digests.',
      data: 'The recipient’s email address and name, and the content of each email.',
    });
  }
  if (config.mongodbUri) {
    const hosts = mongoHosts(config.mongodbUri);
    list.push({
      id: 'database',
      name: `Database: MongoDB at ${hosts.length > 0 ? hosts.join(', ') : 'an external server'}`,
      purpose:
        'Stores everything Quorum keeps. A third party when the database is a hosted service rather than run by this server’s operator.',
      data: 'All stored data: profiles, email addresses, groups, discussions, comments, votes and masked IP addresses.',
    });
  }
  return list;
}
