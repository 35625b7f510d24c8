/**
 * Tells what holds copies of a person's account and rights (auth/viewers-held.ts)
 * of every write this process makes to people, memberships and guest
 * invitations, as soon as it is written: the next request of that person on
 * this process reads them afresh. Writes by other processes arrive through
 * the change feed instead. Writes that name no single person (a group's
 * memberships all at once) tell `null`: anyone may have changed.
 */
import { Types, type MongooseQueryMiddleware, type Schema } from 'mongoose';

/** Told, after every such write of this process, whose records it changed (null: maybe anyone's). */
export type PersonWriteListener = (userId: string | null) => void;

const QUERY_WRITES: MongooseQueryMiddleware[] = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'replaceOne',
  'findOneAndReplace',
  'deleteOne',
  'deleteMany',
  'findOneAndDelete',
];

/** The writes of some models whose documents belong to one person, and who hears of them. */
export interface PersonWriteSignal {
  /** Hears of every such write made by this process, once written. */
  on(listener: PersonWriteListener): () => void;
  /**
   * Hooks every write of a model whose documents belong to one person, named by
   * `key` (`_id` for people, `userId` for their memberships, invitations, restrictions).
   */
  hook(schema: Schema, key: '_id' | 'userId'): void;
}

export function personWriteSignal(): PersonWriteSignal {
  const listeners = new Set<PersonWriteListener>();
  const tell = (id: unknown) => {
    const userId = id instanceof Types.ObjectId || typeof id === 'string' ? String(id) : null;
    for (const listener of listeners) listener(userId);
  };
  return {
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    hook(schema, key) {
      const own = (doc: unknown) => tell((doc as Record<string, unknown> | null)?.[key]);
      schema.post('save', own);
      schema.post('insertMany', function (docs: unknown) {
        for (const doc of Array.isArray(docs) ? docs : []) own(doc);
      });
      schema.post(['updateOne', 'deleteOne'], { document: true, query: false }, own);
      schema.post(
        QUERY_WRITES,
        { document: false, query: true },
        function (this: { getFilter(): Record<string, unknown> }) {
          tell(this.getFilter()[key]);
        },
      );
    },
  };
}

/** People, memberships and guest invitations. */
const personWrites = personWriteSignal();

/** Hears of every write to people and their rights made by this process, once written. */
export const onPersonWrite = (listener: PersonWriteListener) => personWrites.on(listener);

/** Hooks every write of a people, memberships or invitations model (see `PersonWriteSignal.hook`). */
export const tellPersonWrites = (schema: Schema, key: '_id' | 'userId') =>
  personWrites.hook(schema, key);
