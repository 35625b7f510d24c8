/**
 * The privacy policy versions this installation has served (P16), keyed by
 * version. The first version ever recorded is the policy people signed up
 * under: nobody is told about it. A later version is a change: people whose
 * account is older than it see a notice once and get one email.
 */
import { Schema, model } from 'mongoose';

export interface PolicyVersion {
  /** The configured version (POLICY_VERSION). */
  _id: string;
  /** When a server first served this version: accounts created after it need no notice. */
  firstServedAt: Date;
  /** Whether this version replaced an earlier one, so existing users are told. */
  announce: boolean;
}

const policyVersionSchema = new Schema<PolicyVersion>(
  {
    _id: { type: String, required: true },
    firstServedAt: { type: Date, required: true },
    announce: { type: Boolean, required: true },
  },
  { versionKey: false },
);

export const PolicyVersionModel = model<PolicyVersion>('PolicyVersion', policyVersionSchema);
