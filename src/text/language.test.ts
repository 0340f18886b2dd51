// Language detection on real-style news sentences in each language Marsad meets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLanguage, eachWord, notArabicReason } from './language.js';

const AR = 'قتل 12 عنصراً من قوات النظام في قصف لفصائل المعارضة على مواقعهم في ريف إدلب الجنوبي، بحسب ما أفاد المرصد السوري لحقوق الإنسان.';
const FA = 'به گزارش خبرگزاری‌ها، در حمله پهپادی به شهر حلب دست‌کم ۱۲ نفر کشته شدند و این حمله از سوی نیروهای ترکیه انجام شده است.';
// Persian typed with Arabic yeh/kaf (Windows-1256 keyboards): only the words tell it apart.
const FA_ARABIC_YEH = 'به گزارش خبرگزاري ها، در اين حمله دست كم ۱۲ نفر كشته شدند و مسئولان مي گويند كه حمله از سوي نيروهاي تركيه بوده است.';
const CKB = 'بەپێی ڕاپۆرتی چاودێرانی مافی مرۆڤ، لە هێرشێکی فڕۆکەی بێفڕۆکەوان لە نزیک شاری قامیشلۆ دوو کەس کوژران.';
const KMR = 'Li gorî Çavdêriya Sûrî ya Mafên Mirovan, di êrîşa balafirên bêmirov de li nêzî Qamişloyê du kes hatin kuştin û sê kes jî birîndar bûn.';
const TR = 'Suriye İnsan Hakları Gözlemevi’ne göre, İdlib’in güneyinde düzenlenen hava saldırısında en az 12 kişi hayatını kaybetti ve çok sayıda kişi yaralandı.';
const EN = 'At least 12 government soldiers were killed in shelling by opposition factions on their positions in southern Idlib, the Syrian Observatory for Human Rights said.';

test('Arabic news text is Arabic', () => {
  const g = detectLanguage(AR);
  assert.equal(g.language, 'ar');
  assert.equal(g.script, 'arabic');
  assert.equal(g.mixed, false);
  assert.equal(notArabicReason(AR), null);
});

test('Persian (with Persian or Arabic yeh/kaf), Sorani, Kurmanji, Turkish, English are told apart', () => {
  assert.equal(detectLanguage(FA).language, 'fa');
  assert.equal(detectLanguage(FA_ARABIC_YEH).language, 'fa');
  assert.equal(detectLanguage(CKB).language, 'ckb');
  assert.equal(detectLanguage(KMR).language, 'kmr');
  assert.equal(detectLanguage(TR).language, 'tr');
  assert.equal(detectLanguage(EN).language, 'en');
  assert.equal(notArabicReason(FA), 'not Arabic (Persian)');
  assert.equal(notArabicReason(CKB), 'not Arabic (Kurdish (Sorani))');
  assert.equal(detectLanguage(KMR).script, 'latin');
});

test('an Arabic report quoting a Persian or English name stays Arabic', () => {
  const t = `${AR} وقال المتحدث باسم "سپاه پاسداران" إن القوات ردت على مصادر النيران. ${AR} (AFP)`;
  assert.equal(detectLanguage(t).language, 'ar');
});

test('mixed script is flagged; the majority decides the language', () => {
  const mixed = `${AR} ${EN}`;
  const g = detectLanguage(mixed);
  assert.equal(g.mixed, true);
  assert.ok(g.arabic > 0.2 && g.latin > 0.2);
  const enMostly = `${EN} ${EN} ${AR}`;
  assert.equal(detectLanguage(enMostly).language, 'en');
  assert.match(notArabicReason(enMostly)!, /^not Arabic \(English, mixed script, \d+% Arabic letters\)$/);
});

test('no letters, unknown Latin and other scripts', () => {
  assert.equal(detectLanguage('').script, 'none');
  assert.equal(detectLanguage('12 34 ٥٦ ... !!').script, 'none');
  assert.equal(notArabicReason('٢٠٢٠/١/٢٦'), 'no letters: not a text');
  assert.equal(detectLanguage('Бойовики обстріляли позиції армії біля міста').script, 'other');
  assert.equal(detectLanguage('xkcd qwrt zzzp').language, 'unknown');
});

test('a huge text is sampled (bounded time)', () => {
  const big = AR.repeat(40_000); // ~5 MB
  const t0 = performance.now();
  assert.equal(detectLanguage(big).language, 'ar');
  assert.ok(detectLanguage(big).letters < 250_000);
  assert.ok(performance.now() - t0 < 5_000);
});

test('eachWord cuts the words the regex /[\\p{L}\\p{M}]+/gu finds, in every script, marks and astral letters included', () => {
  const texts = [
    AR, FA, FA_ARABIC_YEH, CKB, KMR, TR, EN,
    // tanween and shadda (marks) inside words, tatweel, zero-width non-joiner between parts of a word
    'قُتِلَ جنديٌّ تقريباً في ريـف حماة‌ الشمالي',
    // mathematical letters (outside the BMP), an emoji, a lone surrogate, digits glued to letters
    '𝐀𝐁𝐂 قصف 😀 حلب \ud835 12كم x\u0301y',
    '',
    '...!!',
  ];
  for (const t of texts) {
    const seen: string[] = [];
    const n = eachWord(t, (w) => seen.push(w));
    const want = [...t.matchAll(/[\p{L}\p{M}]+/gu)].map((m) => m[0]);
    assert.deepEqual(seen, want, t);
    assert.equal(n, want.length);
  }
});
