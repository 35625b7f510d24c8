import { useEffect } from 'react';
import type { GroupDto } from '../../../../shared/dto.js';
import { showQueue } from '../../realtime/moderation.js';
import { useStore } from '../../store/index.js';
import { QueueItem } from './QueueItem.js';
import './moderation.css';

/**
 * A group's review queue, live: open reports grouped by what they are about,
 * and held posts, oldest first. Each new count from the server reloads the
 * items, so a report appears without reloading the page and an item leaves
 * once handled. The group page watches the count (for its tab badge).
 */
export function ReviewQueue({ group }: { group: GroupDto }) {
  const items = useStore((s) => s.queues[group.id]);
  useEffect(() => showQueue(group.id), [group.id]);

  return (
    <section aria-labelledby="queue-title" className="review-queue">
      <h2 id="queue-title">Review queue</h2>
      {!items ? (
        <p className="muted" role="status">
          Loading the queue…
        </p>
      ) : items.length === 0 ? (
        <p className="card empty">Nothing to review. New reports and held posts appear here.</p>
      ) : (
        items.map((item) => <QueueItem key={item.key} item={item} />)
      )}
    </section>
  );
}
