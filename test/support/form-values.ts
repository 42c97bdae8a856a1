/**
 * The values a page's form would send as it stands (inputs, checked boxes and radios, selected
 * options, textareas), read from its HTML: a test changes one field and posts the rest unchanged.
 */
export function formValues(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const values: Record<string, string> = {};
  const unescape = (s: string) =>
    s
      .replace(/&#34;|&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const m of form.matchAll(/<input\b([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /\bname="([^"]+)"/.exec(attrs)?.[1];
    if (!name) continue;
    const type = /\btype="([^"]+)"/.exec(attrs)?.[1] ?? 'text';
    const value = unescape(
      /\bvalue="([^"]*)"/.exec(attrs)?.[1] ?? (type === 'checkbox' ? 'on' : ''),
    );
    if ((type === 'checkbox' || type === 'radio') && !/\bchecked\b/.test(attrs)) continue;
    values[name] = value;
  }
  for (const m of form.matchAll(/<select\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)"[^>]*\bselected\b/.exec(m[2]!);
    values[m[1]!] = unescape(selected?.[1] ?? /<option value="([^"]*)"/.exec(m[2]!)?.[1] ?? '');
  }
  for (const m of form.matchAll(/<textarea\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
    values[m[1]!] = unescape(m[2]!);
  return values;
}
