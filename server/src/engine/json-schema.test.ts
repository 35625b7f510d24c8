import { expect } from 'chai';
import type { Db, Document } from 'mongodb';
import { errorOf, startTestEngine, type EngineFixture } from './testing.js';

/**
 * `$jsonSchema` in validators and queries, as MongoDB 7.0 documents it: the
 * common keywords, restrictions that apply only to their own type, the
 * errInfo details of error 121 and the parse errors of a bad schema.
 */
describe('engine: $jsonSchema', () => {
  let fx: EngineFixture;
  let db: Db;

  const studentSchema = {
    bsonType: 'object',
    title: 'Student Object Validation',
    required: ['name', 'year', 'major'],
    properties: {
      name: { bsonType: 'string', description: "'name' must be a string and is required" },
      year: { bsonType: 'int', minimum: 2017, maximum: 3017 },
      major: { enum: ['Math', 'English', 'Computer Science', 'History', null] },
      gpa: { bsonType: ['double'], description: "'gpa' must be a double if the field exists" },
      tags: { bsonType: 'array', items: { bsonType: 'string', minLength: 2 }, maxItems: 3 },
      code: { bsonType: 'string', pattern: '^[A-Z]{3}-\\d+$' },
    },
  };

  before(async () => {
    fx = await startTestEngine();
    db = fx.client.db('json_schema');
  });
  after(() => fx.close());

  it('accepts documents that satisfy a validator schema and refuses others with 121 and its details', async () => {
    const students = await db.createCollection('students', {
      validator: { $jsonSchema: studentSchema },
    });
    await students.insertOne({
      name: 'Alice',
      year: 2019,
      major: 'History',
      gpa: 3.5,
      tags: ['ab', 'cd'],
      code: 'ABC-12',
    });
    const failure = await errorOf(
      students.insertOne({ _id: 7 as never, name: 'Bob', year: 2019, gpa: 3 }),
    );
    expect(failure.code).to.equal(121);
    expect(failure.codeName).to.equal('DocumentValidationFailure');
    const errInfo = failure.errInfo as Document;
    expect(errInfo.failingDocumentId).to.equal(7);
    expect(errInfo.details.operatorName).to.equal('$jsonSchema');
    expect(errInfo.details.title).to.equal('Student Object Validation');
    expect(errInfo.details.schemaRulesNotSatisfied).to.deep.include({
      operatorName: 'required',
      specifiedAs: { required: ['name', 'year', 'major'] },
      missingProperties: ['major'],
    });
    expect(errInfo.details.schemaRulesNotSatisfied).to.deep.include({
      operatorName: 'properties',
      propertiesNotSatisfied: [
        {
          propertyName: 'gpa',
          description: "'gpa' must be a double if the field exists",
          details: [
            {
              operatorName: 'bsonType',
              specifiedAs: { bsonType: ['double'] },
              reason: 'type did not match',
              consideredValue: 3,
              consideredType: 'int',
            },
          ],
        },
      ],
    });
    expect(await students.countDocuments()).to.equal(1);
  });

  it('reports ranges, lengths, patterns, enums and array items that fail', async () => {
    const students = db.collection('students');
    const details = async (doc: Document) => {
      const failure = await errorOf(students.insertOne(doc));
      expect(failure.code).to.equal(121);
      const rules = (failure.errInfo as Document).details.schemaRulesNotSatisfied as Document[];
      const properties = rules.find((r) => r.operatorName === 'properties');
      return (properties?.propertiesNotSatisfied ?? []) as Document[];
    };
    const base = { name: 'Carol', year: 2020, major: 'Math' };
    const [year] = await details({ ...base, year: 1999 });
    expect(year.details[0]).to.deep.include({
      operatorName: 'minimum',
      reason: 'comparison failed',
    });
    const [major] = await details({ ...base, major: 'Art' });
    expect(major.details[0]).to.deep.include({
      operatorName: 'enum',
      reason: 'value was not found in enum',
      consideredValue: 'Art',
    });
    const [code] = await details({ ...base, code: 'abc-1' });
    expect(code.details[0]).to.deep.include({
      operatorName: 'pattern',
      reason: 'regular expression did not match',
    });
    const [tags] = await details({ ...base, tags: ['ok', 'x'] });
    expect(tags.details[0]).to.deep.include({ operatorName: 'items', itemIndex: 1 });
    expect(tags.details[0].details[0]).to.deep.include({
      operatorName: 'minLength',
      reason: 'specified string length was not satisfied',
    });
    const [many] = await details({ ...base, tags: ['aa', 'bb', 'cc', 'dd'] });
    expect(many.details[0]).to.deep.include({
      operatorName: 'maxItems',
      reason: 'array did not match specified length',
    });
    await students.insertOne({ ...base, major: null });
  });

  it('refuses an update that breaks the schema and leaves the document as it was', async () => {
    const students = db.collection('students');
    const failure = await errorOf(
      students.updateOne({ name: 'Alice' }, { $set: { year: 'soon' } }),
    );
    expect(failure.code).to.equal(121);
    expect((await students.findOne({ name: 'Alice' }))?.year).to.equal(2019);
  });

  it('adds a schema with collMod; additionalProperties false names the fields it refuses', async () => {
    const things = db.collection('things');
    await things.insertOne({ _id: 1 as never, label: 'old', extra: true });
    await db.command({
      collMod: 'things',
      validator: {
        $jsonSchema: {
          additionalProperties: false,
          properties: { _id: {}, label: { type: 'string', maxLength: 5 } },
        },
      },
    });
    const [info] = await db.listCollections({ name: 'things' }).toArray();
    expect((info as Document).options.validator.$jsonSchema.additionalProperties).to.equal(false);
    await things.insertOne({ _id: 2 as never, label: 'new' });
    const failure = await errorOf(things.insertOne({ _id: 3 as never, label: 'x', color: 'red' }));
    expect(failure.code).to.equal(121);
    expect((failure.errInfo as Document).details.schemaRulesNotSatisfied).to.deep.equal([
      {
        operatorName: 'additionalProperties',
        specifiedAs: { additionalProperties: false },
        additionalProperties: ['color'],
      },
    ]);
    const typed = await errorOf(things.insertOne({ _id: 4 as never, label: 12 }));
    const detail = (typed.errInfo as Document).details.schemaRulesNotSatisfied[0];
    expect(detail.propertiesNotSatisfied[0].details[0]).to.deep.include({
      operatorName: 'type',
      consideredType: 'int',
    });
  });

  it('selects documents with $jsonSchema in find, $or and aggregate $match', async () => {
    const items = db.collection('items');
    await items.insertMany([
      { _id: 1 as never, qty: 5, name: 'pen' },
      { _id: 2 as never, qty: 50, name: 'ink' },
      { _id: 3 as never, qty: 'many', name: 'paper' },
      { _id: 4 as never, name: 'box', sizes: [1, 2, 2] },
    ]);
    const ids = (docs: Document[]) => docs.map((d) => d._id).sort();
    // minimum restricts numbers only: a string qty and a missing qty satisfy it.
    const small = await items
      .find({ $jsonSchema: { properties: { qty: { maximum: 10 } } } })
      .toArray();
    expect(ids(small)).to.deep.equal([1, 3, 4]);
    const required = await items.find({ $jsonSchema: { required: ['qty'] } }).toArray();
    expect(ids(required)).to.deep.equal([1, 2, 3]);
    const either = await items
      .find({
        $or: [
          { name: 'box' },
          { $jsonSchema: { properties: { qty: { type: 'string' } } }, qty: { $exists: true } },
        ],
      })
      .toArray();
    expect(ids(either)).to.deep.equal([3, 4]);
    const unique = await items
      .aggregate([{ $match: { $jsonSchema: { properties: { sizes: { uniqueItems: true } } } } }])
      .toArray();
    expect(ids(unique)).to.deep.equal([1, 2, 3]);
    const negated = await items
      .find({ $nor: [{ $jsonSchema: { properties: { name: { minLength: 4 } } } }] })
      .toArray();
    expect(ids(negated)).to.deep.equal([1, 2, 4]);
    const anyOf = await items
      .find({
        $jsonSchema: {
          anyOf: [
            { required: ['sizes'] },
            { properties: { qty: { minimum: 20 } }, required: ['qty'] },
          ],
        },
      })
      .toArray();
    expect(ids(anyOf)).to.deep.equal([2, 3, 4]);
  });

  it('reads through a view whose pipeline matches by $jsonSchema', async () => {
    await db.createCollection('counted', {
      viewOn: 'items',
      pipeline: [
        {
          $match: { $jsonSchema: { required: ['qty'], properties: { qty: { bsonType: 'int' } } } },
        },
      ],
    });
    const docs = await db
      .collection('counted')
      .find({}, { sort: { _id: 1 } })
      .toArray();
    expect(docs.map((d) => d._id)).to.deep.equal([1, 2]);
  });

  it('applies tuple items, additionalItems, oneOf, not, dependencies and the property counts', async () => {
    const shapes = db.collection('shapes');
    await shapes.insertMany([
      { _id: 1 as never, point: [1, 'a'], kind: 'x' },
      { _id: 2 as never, point: [1, 'a', true], kind: 'y', card: 1, billing: 'b' },
      { _id: 3 as never, point: ['a', 1], card: 2 },
      { _id: 4 as never, s_one: 'a', s_two: 2 },
    ]);
    const ids = async (schema: Document) =>
      (await shapes.find({ $jsonSchema: schema }).toArray()).map((d) => d._id).sort();
    const tuple = { items: [{ bsonType: 'int' }, { bsonType: 'string' }] };
    expect(await ids({ properties: { point: tuple } })).to.deep.equal([1, 2, 4]);
    expect(
      await ids({ properties: { point: { ...tuple, additionalItems: false } } }),
    ).to.deep.equal([1, 4]);
    expect(
      await ids({
        properties: { point: { ...tuple, additionalItems: { bsonType: 'bool' } } },
      }),
    ).to.deep.equal([1, 2, 4]);
    // oneOf: exactly one subschema; 2 has both kind and card.
    expect(await ids({ oneOf: [{ required: ['kind'] }, { required: ['card'] }] })).to.deep.equal([
      1, 3,
    ]);
    expect(await ids({ not: { required: ['point'] } })).to.deep.equal([4]);
    expect(await ids({ dependencies: { card: ['billing'] } })).to.deep.equal([1, 2, 4]);
    expect(await ids({ minProperties: 4 })).to.deep.equal([2]);
    expect(await ids({ patternProperties: { '^s_': { bsonType: 'string' } } })).to.deep.equal([
      1, 2, 3,
    ]);
    expect(
      await ids({ additionalProperties: false, patternProperties: { '^(_id|s_.*)$': {} } }),
    ).to.deep.equal([4]);
  });

  it('refuses schemas MongoDB refuses, with its codes', async () => {
    const items = db.collection('items');
    const find = (schema: Document) => errorOf(items.find({ $jsonSchema: schema }).toArray());
    const unknown = await find({ colour: 'red' });
    expect(unknown.code).to.equal(9);
    expect(unknown.errmsg).to.equal('Unknown $jsonSchema keyword: colour');
    const integer = await find({ properties: { a: { type: 'integer' } } });
    expect(integer.code).to.equal(9);
    expect(integer.errmsg).to.equal("$jsonSchema type 'integer' is not currently supported.");
    const alias = await find({ bsonType: 'text' });
    expect(alias.code).to.equal(2);
    expect(alias.errmsg).to.equal('Unknown type name alias: text');
    const both = await find({ type: 'object', bsonType: 'object' });
    expect(both.code).to.equal(9);
    const ref = await find({ $ref: '#/definitions/a' });
    expect(ref.errmsg).to.equal("$jsonSchema keyword '$ref' is not currently supported");
    const required = await find({ required: [] });
    expect(required.errmsg).to.equal("$jsonSchema keyword 'required' cannot be an empty array");
    const pattern = await find({ properties: { a: { pattern: '(' } } });
    expect(pattern.code).to.equal(51091);
    const minimum = await find({ properties: { a: { minimum: 'one' } } });
    expect(minimum.code).to.equal(14);
    const created = await errorOf(
      db.createCollection('bad_schema', { validator: { $jsonSchema: { required: 'a' } } }),
    );
    expect(created.code).to.equal(14);
    const encrypted = await find({ properties: { ssn: { encrypt: {} } } });
    expect(encrypted.code).to.equal(115);
    expect((await db.listCollections({ name: 'bad_schema' }).toArray()).length).to.equal(0);
  });
});
