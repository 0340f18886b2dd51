// The stages the extractor builds on, in one place: the text core (sentences, numbers,
// dates), the actor and source matchers, the gazetteer and the geoparser.

export { splitSentences, splitClauses } from '../text/sentences.js';
export { readNumbersInTokens, type NumberReading } from '../text/numbers.js';
export { readDatesInTokens, type DateReading } from '../text/dates.js';
export { tokenize } from '../text/tokenize.js';
export { findActors, inferCountry, type ActorMention, type ActorEntry } from '../lexicon/actors.js';
export { findAttributions, type Attribution, type SourceEntry } from '../lexicon/sources.js';
export { geoparse, type PlaceMention } from '../geoparse/index.js';
export { loadGazetteer, type Gazetteer } from '../gazetteer/index.js';
