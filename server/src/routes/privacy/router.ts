/**
 * `/api/privacy`: the promises of the privacy policy the server can state
 * about itself. The policy as configured (P16), the third parties enabled by
 * configuration (P3), and, for the signed in, whether the policy changed since
 * they last saw it, and dismissing that notice.
 */
import { Router } from 'express';
import type { PolicyNoticeDto, PrivacyPolicyDto, ThirdPartyDto } from '../../../../shared/dto.js';
import { requireUser } from '../../auth/authenticate.js';
import { DEFAULT_POLICY_VERSION } from '../../config.js';
import { parse } from '../../http/validate.js';
import { readPolicy, type PolicyConfig } from '../../privacy/policy.js';
import { isNoticeDue, markPolicySeen } from '../../privacy/policy-notice.js';
import { thirdParties, type ThirdPartyConfig } from '../../privacy/third-parties.js';
import { noBodySchema } from './schema.js';

export function privacyRouter(config: PolicyConfig & ThirdPartyConfig): Router {
  const router = Router();
  const version = config.policyVersion ?? DEFAULT_POLICY_VERSION;
  // Read at start-up, so a missing POLICY_FILE fails loudly before anyone asks.
  readPolicy(config);

  router.get('/policy', (_req, res) => {
    const policy: PrivacyPolicyDto = readPolicy(config);
    res.json(policy);
  });

  router.get('/third-parties', (_req, res) => {
    const processors: ThirdPartyDto[] = thirdParties(config);
    res.json({ processors });
  });

  router.get('/policy/notice', async (req, res) => {
    requireUser(req);
    const notice: PolicyNoticeDto = {
      version,
      noticeDue: await isNoticeDue(req.viewer.user, version),
    };
    res.json(notice);
  });

  router.post('/policy/seen', async (req, res) => {
    requireUser(req);
    parse(noBodySchema, req.body);
    await markPolicySeen(req.viewer.user._id, version);
    res.status(204).end();
  });

  return router;
}
