/**
 * The y-protocols sync messages carried by the `collab:*` events, read and
 * written without applying anything (the server stores an update before it
 * applies it). Anything unreadable is an `invalid_request` for the sender,
 * never an exception that reaches the process.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { InvalidRequestError } from '../errors.js';

/** A sync message from a client: its state vector (step 1) or an update (step 2 or update). */
export type ClientSync =
  { kind: 'step1'; stateVector: Uint8Array } | { kind: 'update'; update: Uint8Array };

const malformed = () => InvalidRequestError('Malformed collaboration message');

/** Binary payloads arrive as Buffers (Node) or ArrayBuffers; anything else is malformed. */
export function binary(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw malformed();
}

/** Reads one sync message, checking that an update is a well-formed Yjs update. */
export function readClientSync(message: Uint8Array): ClientSync {
  try {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (decoding.hasContent(decoder)) throw malformed();
    if (type === syncProtocol.messageYjsSyncStep1) {
      Y.decodeStateVector(payload);
      return { kind: 'step1', stateVector: payload };
    }
    if (type !== syncProtocol.messageYjsSyncStep2 && type !== syncProtocol.messageYjsUpdate)
      throw malformed();
    // Reads every struct and the delete set: a truncated or garbled update throws here.
    Y.decodeUpdate(payload);
    return { kind: 'update', update: payload };
  } catch {
    throw malformed();
  }
}

function message(type: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Step 1: the state vector, so the other side answers with what it has that this side lacks. */
export const syncStep1 = (doc: Y.Doc) =>
  message(syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(doc));

/** Step 2: everything `doc` has beyond the other side's state vector. */
export const syncStep2 = (doc: Y.Doc, stateVector: Uint8Array) =>
  message(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(doc, stateVector));

/** One update, as broadcast to the other sockets in a document. */
export const syncUpdate = (update: Uint8Array) => message(syncProtocol.messageYjsUpdate, update);
