/** Whether the MQTT subscription `filter` receives every topic that `subject` (a filter) matches. */
export function filterCovers(filter: string, subject: string): boolean {
  const f = filter.split('/');
  const s = subject.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= s.length) return false;
    if (f[i] === '+') {
      if (s[i] === '#') return false;
      continue;
    }
    if (f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}
