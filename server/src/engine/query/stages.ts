/** The aggregation stage names MongoDB defines; anything else is refused with 40324 before mingo sees it. */
const STAGES = new Set([
  '$addFields', '$bucket', '$bucketAuto', '$changeStream', '$collStats', '$count', '$densify', '$documents',
  '$facet', '$fill', '$geoNear', '$graphLookup', '$group', '$indexStats', '$limit', '$lookup', '$match',
  '$merge', '$out', '$project', '$redact', '$replaceRoot', '$replaceWith', '$sample', '$search', '$set',
  '$setWindowFields', '$skip', '$sort', '$sortByCount', '$unionWith', '$unset', '$unwind', '$currentOp',
  '$listSessions', '$planCacheStats',
]);

export function isKnownStage(name: string): boolean {
  return STAGES.has(name);
}
