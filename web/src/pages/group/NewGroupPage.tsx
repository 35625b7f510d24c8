import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Field, FormError, TextAreaField, fieldError, formError } from '../../components/Form.js';
import {
  GroupSettingsFields,
  type GroupSettingsValue,
} from '../../components/group/GroupSettingsFields.js';
import { DEFAULT_PERMISSIONS, suggestHandle } from '../../components/group/words.js';
import { createGroup, loadGroup } from '../../data/groups.js';
import { useLoad } from '../../lib/use-load.js';
import { useStore } from '../../store/index.js';
import { useAction } from '../../lib/use-action.js';
import { groupPath } from '../../lib/paths.js';

const FIELDS = ['name', 'handle', 'description', 'privacy', 'membershipPolicy', 'parentId'];

/** Creating a group, or a subgroup when arriving from a group whose coordinators may create them. */
export function NewGroupPage() {
  const [params] = useSearchParams();
  const parentId = params.get('parent');
  const navigate = useNavigate();
  const parentState = useLoad(parentId, () => loadGroup(parentId ?? ''));
  const parent = useStore((s) => (parentId ? s.groups[parentId] : undefined));
  const asSubgroup = parent?.abilities.canCreateSubgroup === true;

  const [name, setName] = useState('');
  const [handle, setHandle] = useState('');
  const [handleEdited, setHandleEdited] = useState(false);
  const [description, setDescription] = useState('');
  const [settings, setSettings] = useState<GroupSettingsValue>({
    privacy: 'closed',
    membershipPolicy: 'request',
    permissions: DEFAULT_PERMISSIONS,
    parentMembersCanSee: true,
  });
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const group = await createGroup({
        name,
        // A secret group has no handle: it is reached by its id.
        ...(settings.privacy === 'secret' ? {} : { handle }),
        description,
        privacy: settings.privacy,
        membershipPolicy: settings.membershipPolicy,
        permissions: settings.permissions,
        ...(asSubgroup && parent
          ? {
              parentId: parent.id,
              ...(settings.privacy === 'secret'
                ? { parentMembersCanSee: settings.parentMembersCanSee }
                : {}),
            }
          : {}),
      });
      void navigate(groupPath(group));
    });
  }

  return (
    <div className="group-form-page">
      <div className="card">
        <h1>{asSubgroup && parent ? 'New subgroup' : 'New group'}</h1>
        {asSubgroup && parent ? (
          <p className="muted">
            A subgroup of <Link to={groupPath(parent)}>{parent.name}</Link>. You will coordinate it.
          </p>
        ) : (
          <p className="muted">
            A place for people to discuss and decide together. You will coordinate it, and can
            change all of this later.
          </p>
        )}
        {parentId && parentState.status === 'ready' && !asSubgroup && (
          <div className="notice" role="status">
            Only coordinators of a top-level group can add subgroups to it; this will be a group of
            its own.
          </div>
        )}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <FormError message={formError(error, FIELDS)} />
          <Field
            label="Name"
            type="text"
            required
            maxLength={100}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (!handleEdited) setHandle(suggestHandle(e.target.value));
            }}
            error={fieldError(error, 'name')}
          />
          {settings.privacy === 'secret' ? (
            <p className="small muted" data-testid="secret-no-handle">
              A secret group has no handle: its address uses its id, so nobody can guess it or find
              out that the group exists.
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
              onChange={(e) => {
                setHandle(e.target.value.toLowerCase());
                setHandleEdited(true);
              }}
              hint={
                <>
                  The group&apos;s address:{' '}
                  <span className="handle-preview">/g/{handle || '…'}</span>. 3 to 40 lowercase
                  letters, digits or hyphens.
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
            hint="What the group is for, who it is for. Optional."
            error={fieldError(error, 'description')}
          />
          <GroupSettingsFields
            value={settings}
            onChange={setSettings}
            error={error}
            isSubgroup={asSubgroup}
          />
          <div className="row">
            <button type="submit" disabled={busy}>
              {busy ? 'Creating…' : asSubgroup ? 'Create subgroup' : 'Create group'}
            </button>
            <Link to={parent ? groupPath(parent) : '/groups'} className="button secondary">
              Cancel
            </Link>
          </div>
        </form>
      </div>
    </div>
  );
}
