/**
 * Who a feed event is about. Providers write it differently: PagerDuty "On Call - Jane Doe -
 * Primary", GoAlert "Jane Doe On-Call (GoAlert: Primary)" (or "On-Call (GoAlert: Primary)" in a
 * personal feed, which is the feed owner's), Grafana OnCall "[L1] Jane Doe", Opsgenie "Jane Doe
 * (Primary)"; an ATTENDEE's CN wins when there is one. Returns null for a personal feed's event.
 */
export function personFromEvent(summary: string, attendeeName: string | null): string | null {
  if (attendeeName && attendeeName.trim()) return attendeeName.trim();
  const s = summary.trim();
  // GoAlert: "<name> On-Call (<app>: <schedule>)"; the schedule name may hold ')' or ':'
  const goalert = /^(.*?)\s*On-Call \([^:()]+: .*\)$/i.exec(s);
  if (goalert) return goalert[1]!.trim() || null;
  // PagerDuty: "On Call - <name> - <schedule>"; names may hold hyphens ("Jean-Luc"), separators are spaced
  const pd = /^on[\s-]?call\s+-\s+(.+)$/i.exec(s);
  if (pd) {
    // schedule names are likelier to hold " - " than people's names, so the name is the first part
    return pd[1]!.split(/\s+-\s+/)[0]!.trim();
  }
  const colon = /^on[\s-]?call\b[^:]*:\s*(.+)$/i.exec(s);
  if (colon) return colon[1]!.trim();
  return s.replace(/^\[[^\]]*\]\s*/, '').replace(/\s*\([^)]*\)\s*$/, '').trim() || s;
}
