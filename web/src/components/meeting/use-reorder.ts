import { useEffect, useRef, useState, type RefObject } from 'react';

/** The control to give focus back to once a list shows a change. */
export interface Refocus {
  /** `data-row` of the row the control is in. */
  row: string;
  /** `data-control` of the button (another enabled control of the row when it is disabled). */
  control: string;
}

/**
 * Keeps keyboard focus on a list's row across live changes: a moved row's
 * DOM node is taken out and put back, and a button that becomes disabled
 * (a row moved to the top) or a removed row drops focus; the server's new
 * list arrives after the click (and after its acknowledgement, sometimes).
 * `request(want)` focuses the row's control at the list's next change
 * (`now`: at the next render; `until`: at every change until the list's ids
 * read so), unless the person has meanwhile moved focus outside the list.
 */
export function useRefocus(list: RefObject<HTMLElement | null>, ids: readonly string[]) {
  const wanted = useRef<{ want: Refocus; until: string | null } | null>(null);
  const [tick, setTick] = useState(0);
  const key = ids.join();
  useEffect(() => {
    const held = wanted.current;
    const container = list.current;
    if (!held || !container) return;
    if (held.until === null || held.until === key) wanted.current = null;
    const active = document.activeElement;
    if (active && active !== document.body && !container.contains(active)) return;
    const row = container.querySelector(`[data-row="${CSS.escape(held.want.row)}"]`);
    const button =
      row?.querySelector<HTMLElement>(`[data-control="${held.want.control}"]:not(:disabled)`) ??
      row?.querySelector<HTMLElement>('[data-control]:not(:disabled)');
    if (button && button !== active) button.focus();
    // `ids` is read through `key`, which says when it changed.
  }, [key, tick]);
  return {
    request(want: Refocus, { now = false, until = null as string | null } = {}) {
      wanted.current = { want, until };
      if (now) setTick((t) => t + 1);
    },
    release() {
      wanted.current = null;
    },
  };
}

/**
 * Moving rows of a live list one place up or down (the agenda, the speakers'
 * queue): `send(ids)` sends the whole new order and answers whether it was
 * taken. Focus stays on the moved row's button and a move taken is announced
 * (`announce`). A press made before the last move shows applies to the order
 * that move asked for, not to the stale one on screen, so pressing "up" twice
 * quickly moves twice.
 */
export function useReorder(
  list: RefObject<HTMLElement | null>,
  ids: readonly string[],
  send: (ids: string[]) => Promise<boolean>,
  announce: (id: string, position: number, of: number) => void,
) {
  const refocus = useRefocus(list, ids);
  /**
   * The orders sent in a quick run of moves (from the order on screen when it began), until
   * the list shows the last, or, once that was taken, shows something else entirely.
   */
  const run = useRef<{ from: string; sent: string[][]; taken: boolean } | null>(null);
  const key = ids.join();
  const move = (index: number, delta: -1 | 1) => {
    const held = run.current;
    const last = held?.sent.at(-1);
    const waiting =
      held !== null &&
      last !== undefined &&
      last.join() !== key &&
      (!held.taken || key === held.from || held.sent.some((order) => order.join() === key));
    const base = waiting ? last : [...ids];
    const id = ids[index];
    const at = base.indexOf(id);
    const to = at + delta;
    if (at < 0 || to < 0 || to >= base.length) return;
    const next = [...base];
    next.splice(at, 1);
    next.splice(to, 0, id);
    const current = waiting ? held : { from: key, sent: [], taken: false };
    current.sent.push(next);
    current.taken = false;
    run.current = current;
    const want = { row: id, control: delta < 0 ? 'up' : 'down' };
    refocus.request(want, { until: next.join() });
    void send(next).then((taken) => {
      if (current.sent.at(-1) !== next) return;
      current.taken = taken;
      if (taken) return announce(id, to + 1, next.length);
      run.current = null;
      refocus.release();
    });
  };
  return { move, refocus };
}
