// Interface language (English / Arabic) and digit style (Western 0-9 / Arabic-Indic ٠-٩),
// both chosen by the user and kept in localStorage.

export type Lang = 'en' | 'ar';
export type Digits = 'latn' | 'arab';

const en = {
  title: 'Marsad — conflict observatory',
  brand: 'Marsad',
  tab_map: 'Map',
  tab_article: 'Read an article',
  filters: 'Filters',
  from: 'From',
  to: 'To',
  country: 'Country',
  admin1: 'Governorate',
  event_type: 'Event type',
  sub_event_type: 'Sub-event type',
  actor: 'Actor',
  source: 'Source',
  min_fatalities: 'Min. fatalities',
  q: 'Search (Arabic or English)',
  any: 'Any',
  apply: 'Apply',
  reset: 'Reset',
  export_csv: 'ACLED CSV',
  export_geojson: 'GeoJSON',
  export: 'Export',
  events: 'events',
  fatalities: 'Fatalities',
  n_events: 'Events',
  timeline_hint: 'Drag across the timeline to filter by date',
  clear_brush: 'Clear dates',
  play: 'Replay',
  pause: 'Pause',
  replay_all: 'All dates',
  date: 'Date',
  type: 'Type',
  sub_type: 'Sub-event',
  location: 'Location',
  actor1: 'Actor 1',
  actor2: 'Actor 2',
  sources: 'Sources',
  prev: 'Previous',
  next: 'Next',
  page: 'Page',
  of: 'of',
  no_events: 'No events match these filters.',
  loading: 'Loading…',
  close: 'Close',
  place_precision: 'Place precision',
  date_precision: 'Date precision',
  geo_1: 'the place itself',
  geo_2: 'near the place',
  geo_3: 'region only',
  time_1: 'day',
  time_2: 'week',
  time_3: 'month',
  fatalities_sources: 'Fatalities by source',
  low: 'low',
  best: 'best',
  high: 'high',
  reported_by: 'Reported by',
  outlet: 'Outlet',
  published: 'Published',
  own_voice: 'the outlet itself',
  evidence: 'Evidence in the article',
  article_title: 'Title',
  article_text: 'Arabic report',
  article_date: 'Publication date',
  upload: 'Open a file',
  extract: 'Extract',
  live: 'Extract as I type',
  paste_hint: 'Paste an Arabic news report here…',
  found_events: 'Events found',
  warnings: 'Warnings',
  no_found: 'No events found in this text.',
  legend: 'Highlighted',
  k_place: 'place',
  k_actor: 'actor',
  k_number: 'number',
  k_date: 'date',
  k_trigger: 'trigger',
  k_source: 'source',
  language: 'العربية',
  digits: 'Digits',
  d_latn: '123',
  d_arab: '١٢٣',
  tiles: 'Tile URL (optional)',
  territory: 'Territory change',
  background: 'background',
  status: 'Status',
  civilians: 'Civilians targeted',
  yes: 'yes',
  notes: 'Notes',
  error: 'Error',
  wounded: 'Wounded',
  by_side: 'By side',
  with_background: 'Include background (history, context)',
  settings: 'Settings',
  token: 'API read token (if the server asks for one)',
} as const;

type Key = keyof typeof en;

const ar: Record<Key, string> = {
  title: 'مرصد — رصد النزاعات',
  brand: 'مرصد',
  tab_map: 'الخريطة',
  tab_article: 'قراءة خبر',
  filters: 'التصفية',
  from: 'من',
  to: 'إلى',
  country: 'البلد',
  admin1: 'المحافظة',
  event_type: 'نوع الحدث',
  sub_event_type: 'النوع الفرعي',
  actor: 'الطرف',
  source: 'المصدر',
  min_fatalities: 'أدنى عدد قتلى',
  q: 'بحث (عربي أو إنكليزي)',
  any: 'الكل',
  apply: 'تطبيق',
  reset: 'إعادة ضبط',
  export_csv: 'ACLED CSV',
  export_geojson: 'GeoJSON',
  export: 'تصدير',
  events: 'حدث',
  fatalities: 'القتلى',
  n_events: 'الأحداث',
  timeline_hint: 'اسحب على الخط الزمني للتصفية حسب التاريخ',
  clear_brush: 'مسح التواريخ',
  play: 'إعادة العرض',
  pause: 'إيقاف',
  replay_all: 'كل التواريخ',
  date: 'التاريخ',
  type: 'النوع',
  sub_type: 'النوع الفرعي',
  location: 'المكان',
  actor1: 'الطرف الأول',
  actor2: 'الطرف الثاني',
  sources: 'المصادر',
  prev: 'السابق',
  next: 'التالي',
  page: 'صفحة',
  of: 'من',
  no_events: 'لا أحداث تطابق هذه التصفية.',
  loading: 'جارٍ التحميل…',
  close: 'إغلاق',
  place_precision: 'دقة المكان',
  date_precision: 'دقة التاريخ',
  geo_1: 'المكان نفسه',
  geo_2: 'قرب المكان',
  geo_3: 'المنطقة فقط',
  time_1: 'اليوم',
  time_2: 'الأسبوع',
  time_3: 'الشهر',
  fatalities_sources: 'القتلى حسب المصدر',
  low: 'الأدنى',
  best: 'الأرجح',
  high: 'الأعلى',
  reported_by: 'نقلاً عن',
  outlet: 'الوسيلة',
  published: 'تاريخ النشر',
  own_voice: 'الوسيلة نفسها',
  evidence: 'الشواهد في الخبر',
  article_title: 'العنوان',
  article_text: 'نص الخبر',
  article_date: 'تاريخ النشر',
  upload: 'فتح ملف',
  extract: 'استخراج',
  live: 'استخراج أثناء الكتابة',
  paste_hint: 'الصق هنا خبراً عربياً…',
  found_events: 'الأحداث المستخرجة',
  warnings: 'تنبيهات',
  no_found: 'لم يُعثر على أحداث في هذا النص.',
  legend: 'المظلل',
  k_place: 'مكان',
  k_actor: 'طرف',
  k_number: 'عدد',
  k_date: 'تاريخ',
  k_trigger: 'فعل الحدث',
  k_source: 'مصدر',
  language: 'English',
  digits: 'الأرقام',
  d_latn: '123',
  d_arab: '١٢٣',
  tiles: 'رابط بلاطات الخريطة (اختياري)',
  territory: 'تغير السيطرة',
  background: 'خلفية',
  status: 'الحالة',
  civilians: 'استهداف مدنيين',
  yes: 'نعم',
  notes: 'ملاحظات',
  error: 'خطأ',
  wounded: 'الجرحى',
  by_side: 'حسب الطرف',
  with_background: 'إظهار أحداث الخلفية (تاريخ، سياق)',
  settings: 'الإعدادات',
  token: 'رمز القراءة (إن طلبه الخادم)',
};

/** ACLED event types in Arabic (the data stays in ACLED's English spelling). */
const typeAr: Record<string, string> = {
  Battles: 'معارك',
  'Explosions/Remote violence': 'انفجارات/عنف عن بعد',
  'Violence against civilians': 'عنف ضد المدنيين',
  Protests: 'احتجاجات',
  Riots: 'أعمال شغب',
  'Strategic developments': 'تطورات استراتيجية',
  'Armed clash': 'اشتباك مسلح',
  'Government regains territory': 'استعادة الحكومة أرضاً',
  'Non-state actor overtakes territory': 'سيطرة طرف غير حكومي على أرض',
  'Air/drone strike': 'غارة جوية/مسيرة',
  'Shelling/artillery/missile attack': 'قصف مدفعي/صاروخي',
  'Remote explosive/landmine/IED': 'عبوة/لغم',
  'Suicide bomb': 'تفجير انتحاري',
  'Grenade': 'قنبلة يدوية',
  'Chemical weapon': 'سلاح كيميائي',
  'Attack': 'هجوم',
  'Abduction/forced disappearance': 'خطف/إخفاء قسري',
  'Sexual violence': 'عنف جنسي',
  'Peaceful protest': 'احتجاج سلمي',
  'Protest with intervention': 'احتجاج مع تدخل',
  'Excessive force against protesters': 'قوة مفرطة ضد المحتجين',
  'Violent demonstration': 'تظاهرة عنيفة',
  'Mob violence': 'عنف جماعي',
  Agreement: 'اتفاق',
  Arrests: 'اعتقالات',
  'Change to group/activity': 'تغير في جماعة/نشاط',
  'Disrupted weapons use': 'إحباط استخدام سلاح',
  'Headquarters or base established': 'إنشاء مقر أو قاعدة',
  'Looting/property destruction': 'نهب/تدمير ممتلكات',
  'Non-violent transfer of territory': 'نقل سيطرة دون عنف',
  Other: 'أخرى',
};

let lang: Lang = (localStorage.getItem('marsad.lang') as Lang) || 'en';
let digits: Digits = (localStorage.getItem('marsad.digits') as Digits) || (lang === 'ar' ? 'arab' : 'latn');

export const getLang = (): Lang => lang;
export const getDigits = (): Digits => digits;
export function setLang(l: Lang): void {
  lang = l;
  localStorage.setItem('marsad.lang', l);
}
export function setDigits(d: Digits): void {
  digits = d;
  localStorage.setItem('marsad.digits', d);
}

export function t(k: Key): string {
  return lang === 'ar' ? ar[k] : en[k];
}

/** An ACLED type/sub-type name in the interface language. */
export function tType(s: string | null | undefined): string {
  if (!s) return '';
  return lang === 'ar' ? typeAr[s] ?? s : s;
}

const AR_DIGITS = '٠١٢٣٤٥٦٧٨٩';
/** Put every ASCII digit of a string in the chosen style (dates, counts, offsets). */
export function digitsOf(s: string | number | null | undefined): string {
  const str = s === null || s === undefined ? '' : String(s);
  return digits === 'arab' ? str.replace(/[0-9]/g, (d) => AR_DIGITS[Number(d)]) : str;
}

/**
 * A date (YYYY-MM-DD) in the chosen digits, kept in year-month-day order on screen. To the bidi
 * algorithm Arabic-Indic digits are "Arabic numbers" and a hyphen between two of them counts as
 * right-to-left, so "٢٠٢٠-٠١-٢٦" would show as ٢٦-٠١-٢٠٢٠ even inside an LTR isolate: a
 * left-to-right mark on each side of every hyphen pins the order.
 */
export function dateText(s: string | null | undefined): string {
  if (!s) return '';
  if (digits === 'latn') return s; // European digits joined by hyphens already read left to right
  return '\u2066' + digitsOf(s).replace(/-/g, '\u200E-\u200E') + '\u2069';
}

/** A count with thousands separators in the chosen digits. */
export function num(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  return new Intl.NumberFormat(digits === 'arab' ? 'ar-EG-u-nu-arab' : 'en-US-u-nu-latn').format(n);
}
