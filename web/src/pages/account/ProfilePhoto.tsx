import { useId, useState, type ChangeEvent } from 'react';
import { AVATAR_MAX_BYTES } from '../../../../shared/avatars.js';
import type { SelfDto } from '../../../../shared/dto.js';
import { Avatar } from '../../components/Avatar.js';
import { FormError, fieldError, formError } from '../../components/Form.js';
import { removeAvatar, uploadAvatar } from '../../data/account.js';
import { useAction } from '../../lib/use-action.js';

/** A file chosen but not uploaded yet, with what the preview shows. */
interface Chosen {
  file: File;
  dataUrl: string;
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('unreadable'));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(file);
  });
}

const MB = AVATAR_MAX_BYTES / 1024 / 1024;

/**
 * One's photo in Settings: choose a file, see it as others will (a circle),
 * upload it or think again; or remove the photo. The server decides what a
 * photo may be (type by content, size) and strips its metadata; a file over
 * the size limit is refused here already, before it is sent.
 */
export function ProfilePhoto({ me }: { me: SelfDto }) {
  const inputId = useId();
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [local, setLocal] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = ''; // choosing the same file again is a change too
    setDone(null);
    setError(null);
    if (!file) return;
    if (file.size > AVATAR_MAX_BYTES) {
      setChosen(null);
      setLocal(`This photo is larger than ${MB} MB. Choose a smaller one.`);
      return;
    }
    setLocal(null);
    try {
      setChosen({ file, dataUrl: await readAsDataUrl(file) });
    } catch {
      setLocal('This file could not be read. Choose another one.');
    }
  }

  async function save() {
    if (!chosen) return;
    const ok = await run(() => uploadAvatar(chosen.file));
    if (ok) {
      setChosen(null);
      setDone('Photo saved.');
    }
  }

  async function remove() {
    setChosen(null);
    if (await run(() => removeAvatar())) setDone('Photo removed.');
  }

  const problem = local ?? fieldError(error, 'file');
  const hintId = `${inputId}-hint`;
  return (
    <div className="photo-field" role="group" aria-labelledby={`${inputId}-label`}>
      <div className="photo-label" id={`${inputId}-label`}>
        Photo
      </div>
      <div className="photo-row">
        <Avatar user={me} size={72} preview={chosen?.dataUrl} />
        <div className="photo-actions">
          {chosen && (
            <span className="small photo-file" title={chosen.file.name}>
              Preview of {chosen.file.name}
            </span>
          )}
          <div className="row">
            {chosen && (
              <button type="button" disabled={busy} onClick={() => void save()}>
                {busy ? 'Uploading…' : 'Upload photo'}
              </button>
            )}
            <label className="button secondary photo-choose" htmlFor={inputId}>
              {chosen ? 'Choose another…' : me.avatarUrl ? 'Change photo…' : 'Choose a photo…'}
            </label>
            {chosen ? (
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() => {
                  setChosen(null);
                  setError(null);
                }}
              >
                Cancel
              </button>
            ) : (
              me.avatarUrl && (
                <button
                  type="button"
                  className="secondary"
                  disabled={busy}
                  onClick={() => void remove()}
                >
                  {busy ? 'Removing…' : 'Remove photo'}
                </button>
              )
            )}
          </div>
          <input
            id={inputId}
            className="visually-hidden"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            aria-describedby={hintId}
            aria-invalid={problem ? true : undefined}
            onChange={(e) => void choose(e)}
          />
        </div>
      </div>
      <div className="hint" id={hintId}>
        JPEG, PNG or WebP, up to {MB} MB; shown as a circle. Quorum keeps the picture only: what the
        file says about it (camera, date, the place it was taken) is removed before it is stored.
      </div>
      {problem && (
        <div className="error" role="alert">
          {problem}
        </div>
      )}
      <FormError message={formError(error, ['file'])} />
      <span role="status" className="small ok-text">
        {done ?? ''}
      </span>
    </div>
  );
}
