import { TypedText } from '../Markdown.js';

/**
 * A comment's text as written: Markdown (components/Markdown.tsx) with every
 * line break kept, as typed in the box, @mentions marked and web addresses
 * made links (the app's own pages client-side). Nothing is parsed as HTML.
 */
export function RichText({ text, className }: { text: string; className?: string }) {
  return <TypedText text={text} className={className ?? 'rich-text'} mentions />;
}
