// Marsad as a library: the event extractor and the shared types.
//
//   import { extract, loadGazetteer } from 'marsad';
//   const gazetteer = loadGazetteer();           // once
//   const { events, figures, mentions, warnings } = extract(article, { gazetteer });

export { extract, defaultGazetteerInstance, type ExtractOptions } from './extract/index.js';
export { loadGazetteer, Gazetteer } from './gazetteer/index.js';
export type {
  Actor,
  Article,
  ArticlePart,
  ConflictEvent,
  EventStatus,
  EventType,
  Evidence,
  ExtractResult,
  Figure,
  FigureKind,
  GeoPrecision,
  Inter,
  Location,
  Mention,
  NumberKind,
  Span,
  TimePrecision,
} from './types.js';
