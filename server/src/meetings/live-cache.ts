/**
 * What a live meeting's broadcasts would otherwise reread from the database
 * every time (issue 13's benchmark: 300 hands meant 300 people and 300
 * memberships read per broadcast): people's summaries and who still takes
 * part, per meeting, kept between broadcasts on this process. Any change of
 * users or access clears it; a read that began before a clear never fills
 * the cache after it (a generation number), so a removed member drops out at
 * once as before.
 */
import { loadPeople, type People } from '../commands/discussions/people.js';
import type { Meeting } from '../models/meeting.js';
import { presentUserSummary, type UserSummaryDto } from '../presenters/user.js';
import { stillTakingPart } from './queue-load.js';
import type { PartsSources } from './state.js';

interface Entry {
  people: Map<string, UserSummaryDto>;
  takingPart: Map<string, boolean>;
}

export class LiveMeetingCache {
  private readonly meetings = new Map<string, Entry>();
  private generation = 0;

  /** Users or access changed: everything is read again. */
  clear(): void {
    this.generation++;
    this.meetings.clear();
  }

  /** Forgets a meeting no socket here watches any more. */
  drop(meetingId: string): void {
    this.meetings.delete(meetingId);
  }

  private entry(meetingId: string): Entry {
    let entry = this.meetings.get(meetingId);
    if (!entry)
      this.meetings.set(meetingId, (entry = { people: new Map(), takingPart: new Map() }));
    return entry;
  }

  /** Sources for `loadMeetingParts` that read only what this cache lacks. */
  sources(meetingId: string): Required<Omit<PartsSources, 'discussion'>> {
    const generation = this.generation;
    const fresh = () => generation === this.generation;
    const people = async (ids: Iterable<unknown>): Promise<People> => {
      const entry = this.entry(meetingId);
      const wanted = [...ids].filter((id) => id !== null && id !== undefined).map(String);
      const missing = wanted.filter((id) => !entry.people.has(id));
      const known = new Map(
        wanted.flatMap((id) => {
          const hit = entry.people.get(id);
          return hit ? [[id, hit] as const] : [];
        }),
      );
      if (missing.length > 0) {
        const loaded = await loadPeople(missing);
        for (const id of missing) {
          known.set(id, loaded(id));
          if (fresh()) this.entry(meetingId).people.set(id, loaded(id));
        }
      }
      return (id) => known.get(String(id)) ?? presentUserSummary(null, String(id));
    };
    const takingPart = async (meeting: Meeting, ids: string[]): Promise<Set<string>> => {
      const entry = this.entry(meetingId);
      const missing = ids.filter((id) => !entry.takingPart.has(id));
      const active = new Set(ids.filter((id) => entry.takingPart.get(id) === true));
      if (missing.length > 0) {
        const found = await stillTakingPart(meeting, missing);
        for (const id of missing) {
          if (found.has(id)) active.add(id);
          if (fresh()) this.entry(meetingId).takingPart.set(id, found.has(id));
        }
      }
      return active;
    };
    return { people, takingPart };
  }
}
