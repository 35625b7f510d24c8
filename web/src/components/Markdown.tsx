/**
 * Markdown as people write it in Quorum (contexts, comments, vote reasons,
 * outcomes, the privacy policy), rendered as React elements by
 * lib/markdown-react.ts (never as HTML; links only as shared/links.ts allows).
 */
import { renderMarkdown, type MarkdownOptions } from '../lib/markdown-react.js';
import './markdown.css';

export interface MarkdownProps extends MarkdownOptions {
  source: string;
}

/**
 * Renders Markdown (paragraphs, lists, quotes, code, links, emphasis) without
 * a wrapper: the container takes the `md` class for its spacing.
 */
export function Markdown({ source, ...options }: MarkdownProps) {
  return <>{renderMarkdown(source, options)}</>;
}

/**
 * Text typed in a box (a comment, a vote reason): Markdown with every line
 * break kept as typed, in a `md` container; `#` headings sit under the page's.
 */
export function TypedText({
  text,
  className,
  mentions = false,
}: {
  text: string;
  className?: string;
  mentions?: boolean;
}) {
  return (
    <div className={className ? `${className} md` : 'md'}>
      <Markdown source={text} topLevel={4} breaks mentions={mentions} />
    </div>
  );
}
