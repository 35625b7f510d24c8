/**
 * Error boundaries around the parts of a page. Records are written by other
 * people, and one that the client cannot render (a bug meeting unexpected
 * data) must not blank the page for every reader: the part it belongs to shows
 * a short note instead, and everything else renders as usual. A boundary
 * catches errors thrown while rendering, not in event handlers, which is why
 * links are made safe before they render (lib/links.ts).
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface PartBoundaryProps {
  children: ReactNode;
  /** What the part is ("comment", "poll"), for the note's accessible name and the console. */
  what: string;
  /**
   * A value that changes when the record does (its `updatedAt`): the part
   * tries again then, so a fixed record shows without a reload.
   */
  resetKey?: unknown;
  /** Rendered as a `span` inside inline or list contexts where a `div` would not fit. */
  inline?: boolean;
}

interface PartBoundaryState {
  failed: boolean;
  resetKey: unknown;
}

/** Renders `children`, or "This part could not be shown" if rendering them throws. */
export class PartBoundary extends Component<PartBoundaryProps, PartBoundaryState> {
  override state: PartBoundaryState = { failed: false, resetKey: this.props.resetKey };

  static getDerivedStateFromError(): Partial<PartBoundaryState> {
    return { failed: true };
  }

  static getDerivedStateFromProps(
    props: PartBoundaryProps,
    state: PartBoundaryState,
  ): Partial<PartBoundaryState> | null {
    if (props.resetKey === state.resetKey) return null;
    return { failed: false, resetKey: props.resetKey };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Quorum could not show a ${this.props.what}`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    const Tag = this.props.inline ? 'span' : 'div';
    return (
      <Tag className="part-error" role="note" aria-label={`${this.props.what} not shown`}>
        This part could not be shown.
      </Tag>
    );
  }
}
