import { useId } from 'react';
import type {
  GroupPermissions,
  GroupPrivacy,
  MembershipPolicy,
} from '../../../../shared/domain.js';
import { fieldError } from '../Form.js';
import { PERMISSIONS, POLICIES_FOR, POLICY, PRIVACY } from './words.js';
import './group.css';

export interface GroupSettingsValue {
  privacy: GroupPrivacy;
  membershipPolicy: MembershipPolicy;
  permissions: GroupPermissions;
  parentMembersCanSee: boolean;
}

/** A new privacy keeps the policy when it allows it, else moves to the nearest one it allows. */
export function withPrivacy(value: GroupSettingsValue, privacy: GroupPrivacy): GroupSettingsValue {
  const allowed = POLICIES_FOR[privacy];
  const membershipPolicy = allowed.includes(value.membershipPolicy)
    ? value.membershipPolicy
    : allowed.includes('request')
      ? 'request'
      : 'invitation';
  return { ...value, privacy, membershipPolicy };
}

function FieldMessage({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <div className="error" id={id}>
      {message}
    </div>
  );
}

/** A radio named by its short label, its plain-words explanation tied to it as a description. */
function Choice({
  name,
  label,
  explain,
  checked,
  onChange,
}: {
  name: string;
  label: string;
  explain: string;
  checked: boolean;
  onChange: () => void;
}) {
  const id = useId();
  return (
    <div className="choice" data-checked={checked || undefined}>
      <input
        id={id}
        type="radio"
        name={name}
        checked={checked}
        onChange={onChange}
        aria-describedby={`${id}-hint`}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        <span className="choice-hint" id={`${id}-hint`}>
          {explain}
        </span>
      </div>
    </div>
  );
}

/** Privacy, membership policy and member permissions, each explained in plain words. */
export function GroupSettingsFields({
  value,
  onChange,
  error,
  isSubgroup,
}: {
  value: GroupSettingsValue;
  onChange: (value: GroupSettingsValue) => void;
  error: unknown;
  isSubgroup: boolean;
}) {
  const id = useId();
  const privacyError = fieldError(error, 'privacy');
  const policyError = fieldError(error, 'membershipPolicy');
  return (
    <>
      <fieldset
        className="choice-set field"
        aria-describedby={privacyError ? `${id}-privacy-error` : undefined}
      >
        <legend>Who can see the group</legend>
        {(['open', 'closed', 'secret'] as const).map((p) => (
          <Choice
            key={p}
            name={`${id}-privacy`}
            label={PRIVACY[p].label}
            explain={PRIVACY[p].explain}
            checked={value.privacy === p}
            onChange={() => onChange(withPrivacy(value, p))}
          />
        ))}
        {isSubgroup && value.privacy === 'secret' && (
          <label className="check">
            <input
              type="checkbox"
              checked={value.parentMembersCanSee}
              onChange={(e) => onChange({ ...value, parentMembersCanSee: e.target.checked })}
            />
            <span>Members of the parent group can see this subgroup</span>
          </label>
        )}
        <FieldMessage id={`${id}-privacy-error`} message={privacyError} />
      </fieldset>
      <fieldset
        className="choice-set field"
        aria-describedby={policyError ? `${id}-policy-error` : undefined}
      >
        <legend>How people join</legend>
        {POLICIES_FOR[value.privacy].map((p) => (
          <Choice
            key={p}
            name={`${id}-policy`}
            label={POLICY[p].label}
            explain={POLICY[p].explain}
            checked={value.membershipPolicy === p}
            onChange={() => onChange({ ...value, membershipPolicy: p })}
          />
        ))}
        {value.privacy !== 'open' && (
          <p className="choice-note">
            {value.privacy === 'secret'
              ? 'A secret group is by invitation only: nobody outside can see it to ask.'
              : 'Only open groups let people join without approval.'}
          </p>
        )}
        <FieldMessage id={`${id}-policy-error`} message={policyError} />
      </fieldset>
      <fieldset className="choice-set field">
        <legend>What members can do</legend>
        <p className="choice-note">Coordinators can always do all of these.</p>
        {PERMISSIONS.map(({ key, label }) => (
          <label key={key} className="check">
            <input
              type="checkbox"
              checked={value.permissions[key]}
              onChange={(e) =>
                onChange({
                  ...value,
                  permissions: { ...value.permissions, [key]: e.target.checked },
                })
              }
            />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>
    </>
  );
}
