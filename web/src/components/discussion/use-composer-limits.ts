import { useEffect, useState } from 'react';
import type { DiscussionDto } from '../../../../shared/dto.js';
import type { RestrictionDto } from '../../../../shared/moderation.js';
import { useStore } from '../../store/index.js';

const NO_RESTRICTIONS: RestrictionDto[] = [];

/** The current time; renders again at `at` (and each second while `tick`), so limits lift by themselves. */
function useNow(at: number | null, tick: boolean): number {
  const [, rerender] = useState(0);
  useEffect(() => {
    const again = () => rerender((n) => n + 1);
    if (tick) {
      const timer = window.setInterval(again, 1000);
      return () => window.clearInterval(timer);
    }
    if (at === null || at <= Date.now()) return;
    // Capped at setTimeout's limit (about 24.8 days); a page is rarely open that long.
    const timer = window.setTimeout(again, Math.min(at - Date.now() + 50, 2 ** 31 - 1));
    return () => window.clearTimeout(timer);
  }, [at, tick]);
  return Date.now();
}

export interface ComposerLimits {
  /** A mute in the discussion's group or a suspension in force: the person may not comment. */
  restriction: RestrictionDto | null;
  /** Slow mode's interval in seconds, when it applies to this person (0: none). */
  slowSeconds: number;
  /** Seconds left before the next comment is allowed under slow mode (0: now). */
  waitSeconds: number;
  /** Call after sending: starts the slow-mode countdown. */
  posted: () => void;
}

/**
 * What limits the composer, live: one's own mute in this group or suspension
 * (`restriction:changed` replaces them; each lifts by itself at its end) and
 * the discussion's slow mode (the discussion record carries it; moderators are
 * exempt, as on the server), with the countdown after one's last comment.
 */
export function useComposerLimits(discussion: DiscussionDto): ComposerLimits {
  const groupId = discussion.group?.id ?? null;
  const restrictions = useStore((s) => s.myRestrictions ?? NO_RESTRICTIONS);
  const exempt = useStore((s) =>
    groupId ? s.groups[groupId]?.abilities.canModerate === true : false,
  );
  const nextPostAt = useStore((s) => s.nextPostAt[discussion.id] ?? 0);
  const setNextPostAt = useStore((s) => s.setNextPostAt);
  const slowSeconds = exempt ? 0 : (discussion.slowModeSeconds ?? 0);

  const applying = restrictions.filter(
    (r) => r.kind === 'suspension' || (r.kind === 'mute' && r.groupId === groupId),
  );
  const ends = applying.map((r) => (r.until ? Date.parse(r.until) : Infinity));
  const firstEnd = ends.length > 0 ? Math.min(...ends) : null;
  const counting = slowSeconds > 0 && nextPostAt > Date.now();
  const now = useNow(firstEnd === Infinity ? null : firstEnd, counting);
  const restriction = applying.find((_, i) => ends[i] > now) ?? null;
  const waitSeconds = slowSeconds > 0 ? Math.max(0, Math.ceil((nextPostAt - now) / 1000)) : 0;
  return {
    restriction,
    slowSeconds,
    waitSeconds,
    posted: () => {
      if (slowSeconds > 0) setNextPostAt(discussion.id, Date.now() + slowSeconds * 1000);
    },
  };
}
