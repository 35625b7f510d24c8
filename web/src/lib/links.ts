/**
 * What a link written by someone may become in the web client: the classifier
 * lives in shared/links.ts, so the Markdown <-> Yjs conversion stores only the
 * links the client would show.
 */
export {
  classifyLink,
  isLinkable,
  MAX_LINK_LENGTH,
  type LinkTarget,
} from '../../../shared/links.js';
