import { expect } from 'chai';
import fs from 'node:fs';
import { CARET_COLOURS, selectionClassOf } from '../../../shared/caret-colours.js';

describe('caret colours', () => {
  const css = fs.readFileSync(new URL('./collab.css', import.meta.url), 'utf8');

  it('gives every colour of the palette a selection class in collab.css, in the same colour', () => {
    CARET_COLOURS.forEach((colour, i) => {
      const rule = new RegExp(`\\.collab-sel-${i} \\{\\s*background-color: ${colour}70;`);
      expect(css, `collab-sel-${i}`).to.match(rule);
    });
  });

  it('names no class for a colour outside the palette', () => {
    expect(selectionClassOf('#d1495b')).to.equal('collab-sel-0');
    expect(selectionClassOf('red; background: url(x)')).to.equal(null);
    expect(selectionClassOf(undefined)).to.equal(null);
  });
});
