/**
 * The privacy policy this server publishes at /privacy (P16): a Markdown file
 * (POLICY_FILE, or the bundled policy.md beside this module) and its version
 * (POLICY_VERSION). Read once per file: a new policy comes with a restart,
 * and with a new version, which is what tells people about the change.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_POLICY_VERSION, type Config } from '../config.js';
import { repoRoot } from '../web/client.js';

export type PolicyConfig = Partial<Pick<Config, 'policyFile' | 'policyVersion'>>;

export interface Policy {
  version: string;
  markdown: string;
}

/** The policy shipped with Quorum, used when POLICY_FILE is not set. */
export function bundledPolicyFile(): string {
  return path.join(repoRoot(), 'server', 'src', 'privacy', 'policy.md');
}

const cache = new Map<string, string>();

/** The configured policy; throws if its file cannot be read (start-up checks it, see server.ts). */
export function readPolicy(config: PolicyConfig): Policy {
  const file = config.policyFile ?? bundledPolicyFile();
  let markdown = cache.get(file);
  if (markdown === undefined) {
    markdown = readFileSync(file, 'utf8');
    cache.set(file, markdown);
  }
  return { version: config.policyVersion ?? DEFAULT_POLICY_VERSION, markdown };
}
