import { expect } from 'chai';
import { parseBlocks } from '../../../shared/markdown/blocks.js';
import { parseInline } from '../../../shared/markdown/inline.js';
import { applyTextEdit, formatEdit, shortcutAction, type FormatAction } from './formatting.js';

/**
 * Applies an action to a text written with `[` and `]` around the selection
 * (one `|` for a caret), answering the new text in the same notation.
 */
function press(marked: string, action: FormatAction): string {
  const caret = marked.indexOf('|');
  const start = caret !== -1 ? caret : marked.indexOf('[');
  const text = caret !== -1 ? marked.replace('|', '') : marked.replace('[', '').replace(']', '');
  const end = caret !== -1 ? caret : marked.indexOf(']') - 1;
  const edit = formatEdit(text, start, end, action);
  const after = applyTextEdit(text, edit);
  const [from, to] = edit.selection;
  return from === to
    ? `${after.slice(0, from)}|${after.slice(from)}`
    : `${after.slice(0, from)}[${after.slice(from, to)}]${after.slice(to)}`;
}

describe('formatting buttons and shortcuts', () => {
  it('wraps the selection in bold, italic or code, and unwraps it when pressed again', () => {
    expect(press('a [word] b', 'bold')).to.equal('a **[word]** b');
    expect(press('a **[word]** b', 'bold')).to.equal('a [word] b');
    expect(press('a [**word**] b', 'bold')).to.equal('a [word] b');
    expect(press('a [word] b', 'italic')).to.equal('a *[word]* b');
    expect(press('a *[word]* b', 'italic')).to.equal('a [word] b');
    expect(press('x [a`b] y', 'code')).to.equal('x ``[a`b]`` y');
    expect(press('[word]', 'code')).to.equal('`[word]`');
  });

  it('makes a bold word italic too rather than taking half its marks', () => {
    expect(press('**[word]**', 'italic')).to.equal('***[word]***');
    expect(press('***[word]***', 'italic')).to.equal('**[word]**');
  });

  it('puts marks around the words, not the spaces, and around each line', () => {
    expect(press('a[ word ]b', 'bold')).to.equal('a **[word]** b');
    expect(press('[one\n\ntwo]', 'bold')).to.equal('[**one**\n\n**two**]');
    expect(parseInline('a ** word ** b')).to.deep.equal([{ type: 'text', text: 'a ** word ** b' }]);
  });

  it('leaves empty marks with the caret between them', () => {
    expect(press('say |', 'bold')).to.equal('say **|**');
    expect(press('say |', 'italic')).to.equal('say *|*');
  });

  it('turns lines of code into a fenced block', () => {
    expect(press('[a\nb]', 'code')).to.equal('```\n[a\nb]\n```');
  });

  it('makes a link of the words, selecting the address to type', () => {
    expect(press('see [the plan] now', 'link')).to.equal('see [the plan]([https://]) now');
    expect(press('see [https://example.org/p]', 'link')).to.equal('see [|](https://example.org/p)');
    expect(press('|', 'link')).to.equal('[[text]](https://)');
  });

  it('makes the selected lines a bulleted or numbered list, or a quote, and back', () => {
    expect(press('[one\ntwo]', 'bullets')).to.equal('[- one\n- two]');
    expect(press('[- one\n- two]', 'bullets')).to.equal('[one\ntwo]');
    expect(press('o[ne\ntw]o', 'numbers')).to.equal('[1. one\n2. two]');
    expect(press('[- one\n- two]', 'numbers')).to.equal('[1. one\n2. two]');
    expect(press('[one\n\ntwo]', 'quote')).to.equal('[> one\n\n> two]');
    expect(press('[> one\n> two]', 'quote')).to.equal('[one\ntwo]');
    expect(press('|', 'bullets')).to.equal('- |');
  });

  it('keeps a new list apart from the paragraph around it, so it reads as a list', () => {
    const after = press('Intro:\n[one\ntwo]\nOutro', 'numbers');
    expect(after).to.equal('Intro:\n\n[1. one\n2. two]\n\nOutro');
    const text = after.replace(/[[\]]/g, '');
    expect(parseBlocks(text).map((b) => b.type)).to.deep.equal(['paragraph', 'list', 'paragraph']);
  });

  it('knows the shortcuts: Ctrl or ⌘ with B, I, E, K; with Shift, 8, 7 and .', () => {
    const key = (k: string, code: string, extra: object = {}) =>
      shortcutAction({
        key: k,
        code,
        ctrlKey: true,
        metaKey: false,
        shiftKey: false,
        altKey: false,
        ...extra,
      });
    expect(key('b', 'KeyB')).to.equal('bold');
    expect(key('I', 'KeyI')).to.equal('italic');
    expect(key('b', 'KeyB', { ctrlKey: false, metaKey: true })).to.equal('bold');
    expect(key('e', 'KeyE')).to.equal('code');
    expect(key('k', 'KeyK')).to.equal('link');
    expect(key('*', 'Digit8', { shiftKey: true })).to.equal('bullets');
    expect(key('&', 'Digit7', { shiftKey: true })).to.equal('numbers');
    expect(key('>', 'Period', { shiftKey: true })).to.equal('quote');
    expect(key('b', 'KeyB', { ctrlKey: false })).to.equal(null);
    expect(key('b', 'KeyB', { altKey: true })).to.equal(null);
    expect(key('Enter', 'Enter')).to.equal(null);
  });
});
