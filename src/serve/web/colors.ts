// One colour per ACLED event type (colour-blind-safe Okabe–Ito palette), shared by map, timeline, table.
// The event types come from the one list in src/types.ts, which the server validates against.
export { EVENT_TYPES } from '../../types.js';

export const TYPE_COLOR: Record<string, string> = {
  Battles: '#D55E00',
  'Explosions/Remote violence': '#E69F00',
  'Violence against civilians': '#CC79A7',
  Protests: '#009E73',
  Riots: '#8C564B',
  'Strategic developments': '#0072B2',
};
export const OTHER_COLOR = '#777777';

/** Sub-event types per type (ACLED codebook), for the filter. */
export const SUB_TYPES: Record<string, string[]> = {
  Battles: ['Armed clash', 'Government regains territory', 'Non-state actor overtakes territory'],
  'Explosions/Remote violence': ['Air/drone strike', 'Shelling/artillery/missile attack', 'Remote explosive/landmine/IED', 'Suicide bomb', 'Grenade', 'Chemical weapon'],
  'Violence against civilians': ['Attack', 'Abduction/forced disappearance', 'Sexual violence'],
  Protests: ['Peaceful protest', 'Protest with intervention', 'Excessive force against protesters'],
  Riots: ['Violent demonstration', 'Mob violence'],
  'Strategic developments': ['Agreement', 'Arrests', 'Change to group/activity', 'Disrupted weapons use', 'Headquarters or base established', 'Looting/property destruction', 'Non-violent transfer of territory', 'Other'],
};

/** Territory changes: drawn as rings in the taker's colour, apart from the clustered points. */
export const TERRITORY: Record<string, string> = {
  'Government regains territory': '#B2182B',
  'Non-state actor overtakes territory': '#1B7837',
};

/** Colours of mention kinds in the article view. */
export const MENTION_COLOR: Record<string, string> = {
  place: '#cfe8ff',
  actor: '#ffe0b3',
  number: '#ffd1dc',
  date: '#d9f2d0',
  trigger: '#e6d9ff',
  source: '#fff3a8',
};
