/**
 * Test support: a fresh in-memory (or data-directory) engine with a connected
 * driver client, torn down after the suite. Used by the engine's own tests.
 */
import { MongoClient } from 'mongodb';
import { startEngine, type EngineOptions, type RunningEngine } from './index.js';

export interface EngineFixture {
  engine: RunningEngine;
  client: MongoClient;
  close(): Promise<void>;
}

export async function startTestEngine(options: EngineOptions = {}): Promise<EngineFixture> {
  const engine = await startEngine({ dataDir: null, ...options });
  const client = new MongoClient(engine.uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  return {
    engine,
    client,
    async close() {
      await client.close();
      await engine.close();
    },
  };
}

/** The error a promise rejects with (as a plain record); fails the test if it resolves. */
export async function errorOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Record<string, unknown>;
  }
  throw new Error('expected the operation to fail');
}
