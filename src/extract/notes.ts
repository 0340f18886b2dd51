// Stage 6: an English one-line summary in ACLED's style, built from the fields only.

import type { ConflictEvent } from '../types.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function when(e: ConflictEvent): string {
  if (!e.event_date) return 'On an unknown date';
  const [y, m, d] = e.event_date.split('-').map(Number);
  if (e.time_precision === 3) return `In ${MONTHS[m - 1]} ${y}`;
  if (e.time_precision === 2) return `In the week of ${d} ${MONTHS[m - 1]} ${y}`;
  return `On ${d} ${MONTHS[m - 1]} ${y}`;
}

function where(e: ConflictEvent): string {
  const l = e.location;
  if (!l) return '';
  const near = l.geo_precision === 1 ? 'in' : 'near';
  const admin = l.admin1 && l.admin1 !== l.name ? ` (${l.admin1})` : '';
  return ` ${near} ${l.name}${admin}`;
}

const VERB: Record<string, string> = {
  'Armed clash': 'clashed with',
  'Government regains territory': 'regained territory from',
  'Non-state actor overtakes territory': 'took territory from',
  'Air/drone strike': 'carried out air/drone strikes on',
  'Shelling/artillery/missile attack': 'shelled',
  'Remote explosive/landmine/IED': 'detonated an explosive device against',
  'Suicide bomb': 'carried out a suicide bombing against',
  Grenade: 'threw a grenade at',
  'Chemical weapon': 'used chemical weapons against',
  Attack: 'attacked',
  'Abduction/forced disappearance': 'abducted',
  'Sexual violence': 'committed sexual violence against',
  'Peaceful protest': 'protested',
  'Protest with intervention': 'protested; the protest was dispersed by',
  'Excessive force against protesters': 'protested and were met with excessive force by',
  'Violent demonstration': 'rioted against',
  'Mob violence': 'attacked (mob violence)',
  Agreement: 'reached an agreement with',
  Arrests: 'arrested',
  'Change to group/activity': 'changed its structure or activity',
  'Disrupted weapons use': 'intercepted or defused a weapon of',
  'Headquarters or base established': 'established a base',
  'Looting/property destruction': 'looted or destroyed property of',
  'Non-violent transfer of territory': 'handed over territory to',
  Other: 'made a strategic move',
};

export function notes(e: ConflictEvent, sourceEn?: string | null): string {
  const a1 = e.actor1?.name ?? 'Unidentified actors';
  const a2 = e.actor2?.name;
  let verb = VERB[e.sub_event_type] ?? e.sub_event_type.toLowerCase();
  let object = a2 ? ` ${a2}` : '';
  if (!a2 && / (with|on|from|against|of|at|to|by)$/.test(verb)) verb = verb.replace(/ (with|on|from|against|of|at|to|by)$/, e.sub_event_type === 'Armed clash' ? '' : '');
  if (e.sub_event_type === 'Armed clash' && !a2) verb = 'fought';
  if (e.sub_event_type === 'Shelling/artillery/missile attack' && !a2) (verb = 'carried out shelling'), (object = '');
  if (e.sub_event_type === 'Peaceful protest' && a2) verb = 'protested against';
  const status = e.status === 'failed' ? ' (failed attempt)' : e.status === 'attempted' ? ' (attempted)' : '';
  let s = `${when(e)}, ${a1} ${verb}${object}${where(e)}${status}.`;
  if (e.civilian_targeting) s += ' Civilians were targeted.';
  if (e.fatalities > 0) s += ` ${e.fatalities} ${e.fatalities === 1 ? 'fatality' : 'fatalities'}.`;
  if (e.wounded) s += ` ${e.wounded} wounded.`;
  if (e.background) s += ' Background mention, not news.';
  if (e.reported_by) s += ` Reported by ${sourceEn ?? e.reported_by}.`;
  return s.replace(/\s+/g, ' ');
}
