import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { CommentDto, DiscussionDto } from '../../../../shared/dto.js';
import { markRead } from '../../data/discussions.js';
import { useStore } from '../../store/index.js';
import { displayName } from '../Avatar.js';

/** Reading marks are sent at most this often. */
const MARK_READ_AFTER_MS = 800;

/**
 * Reading a discussion as a person does: what has scrolled into view counts
 * as read (everything, once the end is in view) and is sent, debounced, as
 * the highest sequence seen. Comments from others arriving while the person
 * is scrolled up are counted for the "N new comments" pill; all of them are
 * announced to screen readers.
 */
export function useReading({
  discussion,
  container,
  end,
  ready,
}: {
  discussion: DiscussionDto | undefined;
  container: RefObject<HTMLElement | null>;
  end: RefObject<HTMLElement | null>;
  ready: boolean;
}) {
  const id = discussion?.id ?? '';
  const canMark = discussion?.abilities.canMarkRead ?? false;
  const meId = useStore((s) => s.me?.id ?? null);
  const lastSequence = useStore((s) => s.lastSequence[id] ?? 0);
  const comments = useStore((s) => s.comments);

  const [seenUpTo, setSeenUpTo] = useState(0);
  const [atBottom, setAtBottom] = useState(false);
  const [fresh, setFresh] = useState<CommentDto[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const atBottomRef = useRef(false);
  const marked = useRef<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const seenRef = useRef(0);
  const known = useRef<Set<string> | null>(null);

  const flush = useCallback(() => {
    timer.current = null;
    if (!canMark || document.visibilityState !== 'visible') return;
    const upTo = seenRef.current;
    const held = useStore.getState().readStates[id]?.lastReadSequence ?? 0;
    if (upTo <= Math.max(held, marked.current ?? 0)) return;
    marked.current = upTo;
    markRead(id, upTo).catch(() => {
      marked.current = null;
    });
  }, [canMark, id]);

  const see = useCallback(
    (sequence: number) => {
      if (sequence <= seenRef.current) return;
      seenRef.current = sequence;
      setSeenUpTo(sequence);
      if (timer.current === null) timer.current = setTimeout(flush, MARK_READ_AFTER_MS);
    },
    [flush],
  );

  // Items scrolling into view (new ones too, as they are added) count as seen.
  useEffect(() => {
    const root = container.current;
    if (!ready || !root) return;
    const io = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          see(Number((entry.target as HTMLElement).dataset.sequence));
        }
      },
      { rootMargin: '0px 0px -10% 0px' },
    );
    const observeAll = () =>
      root.querySelectorAll<HTMLElement>('[data-sequence]').forEach((el) => io.observe(el));
    observeAll();
    const mo = new MutationObserver(observeAll);
    mo.observe(root, { childList: true, subtree: true });
    return () => {
      io.disconnect();
      mo.disconnect();
    };
  }, [ready, container, see]);

  // The end of the timeline in view: everything is read, and nothing new is "below".
  useEffect(() => {
    const el = end.current;
    if (!ready || !el) return;
    const io = new IntersectionObserver(([entry]) => {
      atBottomRef.current = entry.isIntersecting;
      setAtBottom(entry.isIntersecting);
      if (entry.isIntersecting) {
        see(useStore.getState().lastSequence[id] ?? 0);
        setFresh([]);
      }
    });
    io.observe(el);
    return () => io.disconnect();
  }, [ready, end, see, id]);

  useEffect(() => {
    if (atBottomRef.current) see(lastSequence);
  }, [lastSequence, see]);

  useEffect(() => {
    const again = () => {
      if (document.visibilityState === 'visible') flush();
    };
    document.addEventListener('visibilitychange', again);
    return () => {
      document.removeEventListener('visibilitychange', again);
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [flush]);

  // Comments that arrive after the page is ready: announced, and counted while scrolled up.
  useEffect(() => {
    if (!ready) {
      known.current = null;
      return;
    }
    const mine = Object.values(comments).filter((c) => c.discussionId === id);
    if (known.current === null) {
      known.current = new Set(mine.map((c) => c.id));
      return;
    }
    const arrived: CommentDto[] = [];
    for (const c of mine) {
      if (known.current.has(c.id)) continue;
      known.current.add(c.id);
      if (c.author.id !== meId && !c.deleted) arrived.push(c);
    }
    if (arrived.length === 0) return;
    arrived.sort((a, b) => a.sequence - b.sequence);
    const first = arrived[0];
    setAnnouncement(
      arrived.length === 1
        ? `New comment from ${displayName(first.author)}: ${first.body.slice(0, 140)}`
        : `${arrived.length} new comments`,
    );
    if (!atBottomRef.current) setFresh((held) => [...held, ...arrived]);
  }, [comments, ready, id, meId]);

  const showFresh = useCallback(() => {
    const first = fresh[0];
    setFresh([]);
    if (!first) return;
    const el = document.getElementById(`comment-${first.id}`);
    el?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    el?.focus({ preventScroll: true });
  }, [fresh]);

  return { seenUpTo, atBottom, freshCount: fresh.length, showFresh, announcement };
}
