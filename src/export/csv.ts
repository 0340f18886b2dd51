// RFC 4180 CSV: fields with a comma, quote, CR or LF are quoted and inner quotes doubled;
// records end with CRLF. Numbers print plainly, null/undefined print as an empty field.

export const BOM = '\uFEFF';

export function csvField(v: unknown): string {
  if (v == null) return '';
  const s = typeof v === 'string' ? v : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRecord(values: readonly unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}
