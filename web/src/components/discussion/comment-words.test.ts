import { expect } from 'chai';
import { commentTarget, excerpt, whose } from './comment-words.js';

describe('comment words: naming a comment in a confirmation', () => {
  it('keeps a short comment whole and cuts a long one at a word, with an ellipsis', () => {
    expect(excerpt('The roof leaks.')).to.equal('The roof leaks.');
    expect(excerpt('The roof leaks over the kitchen again and again, every winter')).to.equal(
      'The roof leaks over the kitchen again…',
    );
  });

  it('drops Markdown marks, links and line breaks', () => {
    expect(excerpt('**The roof** leaks:\n\n1. kitchen\n2. [hall](https://example.org)')).to.equal(
      'The roof leaks: kitchen hall',
    );
    expect(excerpt('> quoted _text_ and `code`')).to.equal('quoted text and code');
  });

  it('says whose it is, and "your" for one’s own', () => {
    expect(whose('Ada Lovelace', false)).to.equal('Ada Lovelace’s');
    expect(whose('James', false)).to.equal('James’');
    expect(commentTarget('Ada', true, 'Hello')).to.equal('your comment “Hello”');
    expect(commentTarget('Ada', false, '')).to.equal('Ada’s comment');
  });
});
