/**
 * MongoDB's name for the BSON type of a value as the driver decoded it
 * ('int', 'objectId', 'javascriptWithScope'...): what `$jsonSchema` checks
 * and what field type errors name.
 */

/** MongoDB's name for a decoded value's BSON type (integers in int32 range read as 'int'). */
export function bsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'long';
  if (typeof value === 'number')
    return Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 ? 'int' : 'double';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  const tag = (value as { _bsontype?: string })._bsontype;
  const names: Record<string, string> = {
    Long: 'long',
    Int32: 'int',
    Double: 'double',
    Decimal128: 'decimal',
    ObjectId: 'objectId',
    Binary: 'binData',
    Timestamp: 'timestamp',
    BSONRegExp: 'regex',
    MinKey: 'minKey',
    MaxKey: 'maxKey',
    BSONSymbol: 'symbol',
    DBRef: 'object',
  };
  if (tag === 'Code')
    return (value as { scope?: unknown }).scope ? 'javascriptWithScope' : 'javascript';
  if (tag) return names[tag] ?? 'object';
  return 'object';
}
