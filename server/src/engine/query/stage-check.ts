/**
 * The stage specifications mongod refuses when it parses a pipeline, which
 * mingo would run anyway: a `$sort` key that is neither 1 nor -1 (mingo
 * leaves the order as it was), an empty `$project`, `$addFields` or `$set`
 * (mingo passes documents through), an empty sub-projection, and an output
 * field named with a leading `$` (mingo writes a field no query can name).
 * Nested pipelines (`$facet`, `$lookup`, `$unionWith`) are checked too.
 */
import type { Document } from 'bson';
import { EngineError } from '../errors.js';
import { isPlainObject } from './update.js';
import { metaSortUnsupported } from './sort.js';

function fail(code: number, message: string): EngineError {
  return new EngineError(code, `Location${code}`, message);
}

function checkSort(spec: unknown): void {
  if (!isPlainObject(spec) || Object.keys(spec).length === 0)
    throw fail(15976, '$sort stage must have at least one sort key');
  for (const value of Object.values(spec)) {
    if (isPlainObject(value) && '$meta' in value) throw metaSortUnsupported(value);
    const n =
      typeof value === 'number' ? value : Number((value as { valueOf(): unknown })?.valueOf?.());
    if (n !== 1 && n !== -1)
      throw fail(15975, '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
  }
}

function checkFieldNames(stage: string, spec: Document, path: string[] = []): void {
  for (const [key, value] of Object.entries(spec)) {
    if (key.startsWith('$'))
      throw fail(
        16410,
        `Invalid ${stage} :: caused by :: FieldPath field names may not start with '$'. Consider using $getField or $setField.`,
      );
    if (stage === '$project' && isPlainObject(value)) {
      const keys = Object.keys(value);
      if (keys.length === 0)
        throw fail(
          51270,
          `Invalid $project :: caused by :: An empty sub-projection is not a valid value. Found empty object at path ${[...path, key].join('.')}`,
        );
      if (!keys[0].startsWith('$')) checkFieldNames(stage, value, [...path, key]);
    }
  }
}

/** Throws mongod's parse error for a stage it would refuse; recurses into nested pipelines. */
export function checkPipeline(pipeline: Document[], depth = 0): void {
  if (depth > 20) return;
  for (const stage of pipeline) {
    if (!isPlainObject(stage)) continue;
    const [name] = Object.keys(stage);
    const spec = stage[name] as unknown;
    if (name === '$sort') checkSort(spec);
    else if (name === '$project' && isPlainObject(spec)) {
      if (Object.keys(spec).length === 0)
        throw fail(
          51272,
          'Invalid $project :: caused by :: projection specification must have at least one field',
        );
      checkFieldNames(name, spec);
    } else if ((name === '$addFields' || name === '$set') && isPlainObject(spec)) {
      if (Object.keys(spec).length === 0)
        throw fail(
          40177,
          `Invalid ${name} :: caused by :: specification must have at least one field`,
        );
      checkFieldNames(name, spec);
    } else if (name === '$facet' && isPlainObject(spec)) {
      for (const sub of Object.values(spec))
        if (Array.isArray(sub)) checkPipeline(sub as Document[], depth + 1);
    } else if ((name === '$lookup' || name === '$unionWith') && isPlainObject(spec)) {
      if (Array.isArray(spec.pipeline)) checkPipeline(spec.pipeline as Document[], depth + 1);
    }
  }
}
