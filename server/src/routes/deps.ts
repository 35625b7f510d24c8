import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';

/** What resource routers may use; passed down from the composition root. */
export interface ApiDeps {
  config: Pick<Config, 'nodeEnv' | 'publicUrl' | 'jwtSecret'> &
    /** Absent where an app is built without the full configuration: then nobody is DPO. */
    Partial<Pick<Config, 'dpoEmails'>> &
    /** The privacy pages' settings (policy, third parties); defaults when absent. */
    Partial<Pick<Config, 'smtp' | 'mongodbUri' | 'policyFile' | 'policyVersion'>>;
  mailer: Mailer;
  logger: Logger;
}
