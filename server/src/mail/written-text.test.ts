import { expect } from 'chai';
import { Types } from 'mongoose';
import { extractHandles } from '../commands/comments/mentions.js';
import { composeNotificationEmail, type NotificationContext } from './notifications.js';

const settings = { publicUrl: 'https://quorum.example', jwtSecret: 's'.repeat(40) };
const recipient = { _id: new Types.ObjectId(), name: 'Ada', email: 'ada@example.org' };

function mention(body: string): NotificationContext {
  return {
    kind: 'mention',
    actor: null,
    group: { name: 'Choir' },
    discussion: { _id: new Types.ObjectId(), title: 'Robes' },
    comment: { _id: new Types.ObjectId(), body },
    poll: null,
  };
}

describe('written text (Markdown) in emails and mentions', () => {
  it('quotes a comment as plain text: marks dropped, lines and lists kept, links as label (address)', () => {
    const mail = composeNotificationEmail(
      settings,
      recipient,
      mention(
        '@ada **Two** things:\n1. the [plan](https://example.org/plan)\n2. *not* [this](javascript:alert`1`)',
      ),
    );
    expect(mail.text).to.include(
      '> @ada Two things:\n> \n> 1. the plan (https://example.org/plan)\n> 2. not this\n',
    );
    expect(mail.text).not.to.include('javascript:');
    expect(mail.text).not.to.include('**');
    // The address in the HTML part ends where the address does, not at the bracket after it.
    expect(mail.html).to.include(
      '<a href="https://example.org/plan">https://example.org/plan</a>)',
    );
  });

  it('quotes a published outcome the same way', () => {
    const mail = composeNotificationEmail(settings, recipient, {
      kind: 'outcome',
      actor: null,
      group: null,
      discussion: { _id: new Types.ObjectId(), title: 'Robes' },
      comment: null,
      poll: {
        _id: new Types.ObjectId(),
        title: 'Colour',
        closesAt: null,
        outcome: {
          statement: 'We chose **blue**:\n\n- cheaper\n- brighter',
        } as NonNullable<Parameters<typeof composeNotificationEmail>[2]['poll']>['outcome'],
      },
    });
    expect(mail.text).to.include('> We chose blue:\n> \n> - cheaper\n> - brighter');
  });

  it('finds mentions in the words of a comment, not in code or in links', () => {
    expect(
      extractHandles(
        '@Ada and `@bob` and [@carol](https://x.example/@dan) https://social.example/@erin @fay',
      ),
    ).to.deep.equal(['ada', 'fay']);
  });
});
