/**
 * The batch size of a read that wants every matching document at once: a
 * poll's ballots, an item's hands, the people a presentation names. A server
 * answers a find with at most 101 documents and leaves the rest to a second
 * round trip (`getMore`): with 300 ballots, each tally of a vote took two
 * round trips where one does. A reply still never exceeds 16 MiB; the server
 * splits it there whatever the batch size.
 */
export const EVERY_DOCUMENT = { batchSize: 100_000 } as const;
