// Admin1 units and countries from the hand-written lexicon tables (lexicon/admin1.tsv,
// lexicon/countries.tsv): ACLED's English spelling of governorates and the joins to
// OCHA P-codes and GeoNames admin1 codes.

import { loadTable, list } from '../lexicon/table.js';
import { normalizeKey } from '../text/normalize.js';
import type { GazetteerEntry } from './index.js';

export interface Admin1Row {
  iso: string;
  geonames: string;
  pcode: string;
  name_en: string;
  name_ar: string;
  aliases_ar: string[];
  aliases_en: string[];
  capital_ar: string;
  lat: number;
  lon: number;
  population?: number;
}

export interface CountryRow {
  iso: string;
  name_en: string;
  name_ar: string;
  aliases_ar: string[];
  lat: number;
  lon: number;
}

let admin1Rows: Admin1Row[] | undefined;
let countryRows: CountryRow[] | undefined;

export function admin1Table(): Admin1Row[] {
  admin1Rows ??= loadTable('admin1.tsv').map((r) => ({
    iso: r.iso,
    geonames: r.geonames,
    pcode: r.pcode,
    name_en: r.name_en,
    name_ar: r.name_ar,
    aliases_ar: list(r.aliases_ar),
    aliases_en: list(r.aliases_en),
    capital_ar: r.capital_ar,
    lat: Number(r.lat),
    lon: Number(r.lon),
    population: r.population ? Number(r.population) : undefined,
  }));
  return admin1Rows;
}

export function countryTable(): CountryRow[] {
  countryRows ??= loadTable('countries.tsv').map((r) => ({
    iso: r.iso,
    name_en: r.name_en,
    name_ar: r.name_ar,
    aliases_ar: list(r.aliases_ar),
    lat: Number(r.lat),
    lon: Number(r.lon),
  }));
  return countryRows;
}

export function countryName(iso: string): string {
  return countryTable().find((c) => c.iso === iso)?.name_en ?? iso;
}

/** ACLED admin1 name for an OCHA P-code (any level: the first 4 characters are the governorate). */
export function admin1ByPcode(pcode: string | undefined): Admin1Row | undefined {
  if (!pcode) return undefined;
  const p = pcode.slice(0, 4).toUpperCase();
  return admin1Table().find((r) => r.pcode === p);
}

export function admin1ByGeonames(iso: string, code: string): Admin1Row | undefined {
  return admin1Table().find((r) => r.iso === iso && r.geonames === code);
}

/** Gazetteer entries for the hand-written admin1 units and countries. */
export function adminEntries(): GazetteerEntry[] {
  const out: GazetteerEntry[] = [];
  for (const c of countryTable())
    out.push({
      id: `country:${c.iso}`,
      name_en: c.name_en,
      name_ar: c.name_ar,
      names: [c.name_ar, ...c.aliases_ar, c.name_en],
      feature_class: 'country',
      iso: c.iso,
      country: c.name_en,
      lat: c.lat,
      lon: c.lon,
      source: 'marsad',
    });
  for (const a of admin1Table())
    out.push({
      id: a.pcode ? `ocha:${a.pcode}` : `admin1:${a.iso}.${a.geonames}`,
      name_en: a.name_en,
      name_ar: a.name_ar,
      names: [a.name_ar, ...a.aliases_ar, a.name_en, ...a.aliases_en],
      feature_class: 'admin1',
      iso: a.iso,
      country: countryName(a.iso),
      admin1: a.name_en,
      lat: a.lat,
      lon: a.lon,
      population: a.population,
      source: 'marsad',
    });
  // A governorate named after its main town (تعز, مأرب, النبطية): the town itself, so "مدينة مأرب"
  // is a city even where GeoNames has no Arabic name for it (its record merges into this one).
  for (const a of admin1Table()) {
    if (!a.capital_ar || normalizeKey(a.capital_ar) !== normalizeKey(a.name_ar)) continue;
    out.push({
      id: `capital:${a.iso}.${a.geonames}`,
      name_en: a.name_en,
      name_ar: a.capital_ar,
      names: [a.capital_ar],
      feature_class: 'city',
      iso: a.iso,
      country: countryName(a.iso),
      admin1: a.name_en,
      lat: a.lat,
      lon: a.lon,
      source: 'marsad',
    });
  }
  return out;
}

/** Airbases, airports, dams and crossings (lexicon/landmarks.tsv), as landmark entries. */
export function landmarkEntries(): GazetteerEntry[] {
  return loadTable('landmarks.tsv').map((r, k) => ({
    id: `landmark:${r.iso}.${k + 1}`,
    name_en: r.name_en,
    name_ar: r.name_ar,
    names: [r.name_ar, ...list(r.aliases_ar), r.name_en],
    feature_class: (r.feature === 'region' ? 'region' : 'landmark') as GazetteerEntry['feature_class'],
    iso: r.iso,
    country: countryName(r.iso),
    admin1: r.admin1 || undefined,
    lat: Number(r.lat),
    lon: Number(r.lon),
    source: 'marsad',
  }));
}

/**
 * Conflict towns and sites cities500 lacks or has with no Arabic name (lexicon/cities-extra.tsv).
 * Each record carries its English name too, so it merges with a GeoNames record of the same place.
 */
export function extraCityEntries(): GazetteerEntry[] {
  const classes = new Set(['city', 'town', 'village', 'neighbourhood', 'landmark', 'region']);
  return loadTable('cities-extra.tsv').map((r, k) => ({
    id: `extra:${r.iso}.${k + 1}`,
    name_en: r.name_en,
    name_ar: r.name_ar,
    names: [r.name_ar, ...list(r.aliases_ar), r.name_en],
    feature_class: (classes.has(r.feature) ? r.feature : 'town') as GazetteerEntry['feature_class'],
    iso: r.iso,
    country: r.country || countryName(r.iso),
    admin1: r.admin1 || undefined,
    lat: Number(r.lat),
    lon: Number(r.lon),
    source: 'marsad',
  }));
}
