/**
 * "History" under a collaborative text: its settled versions (when, who took
 * part) and the text of the one chosen, loaded only when opened. The server
 * names people through its presenter, so deactivated and deleted accounts
 * read as such here too.
 */
import { useState } from 'react';
import type { DocVersionDto } from '../../../shared/dto.js';
import { api, type Page } from '../api/client.js';
import { Markdown } from '../components/Markdown.js';

/** The REST path of a document's history; null for texts without one (an outcome draft). */
export function versionsPath(docKey: string): string | null {
  const [record, id, field] = docKey.split(':');
  if (record === 'discussion' && field === 'context') return `/discussions/${id}/context/versions`;
  if (record === 'poll' && field === 'details') return `/polls/${id}/details/versions`;
  return null;
}

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function VersionHistory({ path }: { path: string }) {
  const [versions, setVersions] = useState<DocVersionDto[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  const load = () => {
    setFailed(false);
    api.get<Page<DocVersionDto>>(path, { limit: '50' }).then(
      (page) => setVersions(page.items),
      () => setFailed(true),
    );
  };
  const shown = versions?.find((v) => v.id === chosen) ?? null;

  return (
    <details
      className="collab-history small"
      onToggle={(e) => {
        if (e.currentTarget.open) load();
      }}
    >
      <summary>History</summary>
      {failed && <p role="alert">The history could not be loaded.</p>}
      {versions === null && !failed && <p>Loading…</p>}
      {versions?.length === 0 && <p>No earlier versions yet.</p>}
      {versions && versions.length > 0 && (
        <ol className="collab-versions">
          {versions.map((v) => (
            <li key={v.id}>
              <button
                type="button"
                className="link-button"
                aria-pressed={v.id === chosen}
                onClick={() => setChosen(v.id === chosen ? null : v.id)}
              >
                <time dateTime={v.createdAt}>{when(v.createdAt)}</time>
              </button>{' '}
              <span className="collab-version-editors">
                {v.editors.map((e) => e.name).join(', ') || 'No one named'}
              </span>
            </li>
          ))}
        </ol>
      )}
      {shown && (
        <section
          className="collab-version-text md"
          aria-label={`Version of ${when(shown.createdAt)}`}
        >
          <Markdown source={shown.text} topLevel={4} />
        </section>
      )}
    </details>
  );
}
