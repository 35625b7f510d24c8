import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { GroupDetailDto } from '../../../../shared/dto.js';
import { updateGroup } from '../../data/groups.js';
import { Field, FormError, TextAreaField, fieldError, formError } from '../Form.js';
import { GroupSettingsFields, type GroupSettingsValue } from './GroupSettingsFields.js';
import './group.css';
import { useAction } from '../../lib/use-action.js';
import { groupPath } from '../../lib/paths.js';

const FIELDS = [
  'handle',
  'name',
  'description',
  'privacy',
  'membershipPolicy',
  'parentMembersCanSee',
];

/** A coordinator's settings of the group: name, description, privacy, joining, permissions. */
export function GroupSettingsForm({ group }: { group: GroupDetailDto }) {
  const navigate = useNavigate();
  const [name, setName] = useState(group.name);
  const [handle, setHandle] = useState(group.handle ?? '');
  const [description, setDescription] = useState(group.description);
  const [settings, setSettings] = useState<GroupSettingsValue>({
    privacy: group.privacy,
    membershipPolicy: group.membershipPolicy,
    permissions: group.permissions,
    parentMembersCanSee: group.parentMembersCanSee,
  });
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    await run(async () => {
      // Only a group that is not secret has a handle; one leaving secrecy must be given one.
      const keepsHandle = settings.privacy !== 'secret';
      const updated = await updateGroup(group.id, {
        ...(keepsHandle && handle !== group.handle ? { handle } : {}),
        name,
        description,
        privacy: settings.privacy,
        membershipPolicy: settings.membershipPolicy,
        permissions: settings.permissions,
        ...(group.parent ? { parentMembersCanSee: settings.parentMembersCanSee } : {}),
      });
      setSaved(true);
      if (updated.handle !== group.handle) void navigate(`${groupPath(updated)}/settings`);
    });
  }

  return (
    <section className="card group-settings" aria-labelledby="group-settings-title">
      <h2 id="group-settings-title">Group settings</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormError message={formError(error, FIELDS)} />
        <Field
          label="Name"
          type="text"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldError(error, 'name')}
        />
        {settings.privacy === 'secret' ? (
          <p className="small muted">
            {group.privacy === 'secret'
              ? 'A secret group has no handle: its address uses its id.'
              : 'Made secret, the group gives up its handle: its address will use its id, so nobody can guess it.'}
          </p>
        ) : (
          <Field
            label="Handle"
            type="text"
            required
            maxLength={40}
            spellCheck={false}
            autoCapitalize="off"
            value={handle}
            onChange={(e) => setHandle(e.target.value.toLowerCase())}
            hint={
              <>
                The group&apos;s address: <span className="handle-preview">/g/{handle || '…'}</span>
                . 3 to 40 lowercase letters, digits or hyphens.
              </>
            }
            error={fieldError(error, 'handle')}
          />
        )}
        <TextAreaField
          label="Description"
          maxLength={5000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={fieldError(error, 'description')}
        />
        <GroupSettingsFields
          value={settings}
          onChange={setSettings}
          error={error}
          isSubgroup={group.parent !== null}
        />
        <div className="row">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save changes'}
          </button>
          <span role="status" className="small ok-text">
            {saved ? 'Saved.' : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
