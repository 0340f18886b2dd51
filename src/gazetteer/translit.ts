// A plain Latin spelling for a place that no gazetteer has (so Location.name is never Arabic):
// letter by letter, the article as "al-", roughly as ACLED and OCHA romanise village names.
// Not a scholarly transliteration; the Arabic name is always kept in name_ar.

const MAP: Record<string, string> = {
  ا: 'a', ب: 'b', ت: 't', ث: 'th', ج: 'j', ح: 'h', خ: 'kh', د: 'd', ذ: 'dh', ر: 'r', ز: 'z', س: 's', ش: 'sh',
  ص: 's', ض: 'd', ط: 't', ظ: 'z', ع: "'", غ: 'gh', ف: 'f', ق: 'q', ك: 'k', ل: 'l', م: 'm', ن: 'n', ه: 'a', و: 'w',
  ي: 'y', ى: 'a', ة: 'a', ء: "'", ئ: "'", ؤ: "'", أ: 'a', إ: 'i', آ: 'a',
};

function word(w: string): string {
  let s = '';
  let prefix = '';
  if (w.startsWith('ال') && w.length > 3) (prefix = 'al-'), (w = w.slice(2));
  for (let i = 0; i < w.length; i++) {
    const c = w[i];
    const last = i === w.length - 1;
    if (c === 'ه' && !last) s += 'h';
    else if (c === 'ي' && i > 0 && !last) s += 'i';
    else if (c === 'و' && i > 0 && !last) s += 'u';
    else s += MAP[c] ?? c;
  }
  s = s.replace(/^'/, '');
  return prefix + (s.charAt(0).toUpperCase() + s.slice(1));
}

export function transliterate(ar: string): string {
  return ar.split(/\s+/).filter(Boolean).map(word).join(' ');
}
