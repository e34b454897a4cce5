import { request } from './client.js'

// The dashboard's 风险人员管控 counts: exact figures per child region of one node, scoped to the
// caller's jurisdiction, no personal data. Both default to the caller's own node.
//
// measures: { region: { code, name, level },
//   children: [{ code, name, level, total, by_measure: { home_quarantine: n, … },
//                by_category: { close_contact: n, … }, releases_due }],
//   unassigned: null | { code, name, level, total, by_measure, by_category, releases_due }
//               (the rows placed on the node itself: 待分配),
//   totals: { total, by_measure, by_category, releases_due } }
// Needs the measures_read permission (403 otherwise).
//
// tasks: { region, children: [{ code, name, level, open, overdue, unrouted, by_category }],
//   unassigned: null | { …the same }, totals: { open, overdue, unrouted, by_category } }
// 403 for roles that do not follow the 排查任务.
//
// A grid (level 5) answers children: [] with its counts in totals.
export const summaryApi = {
  measures: (region) => request('GET', '/measures/summary', { query: { region } }),
  tasks: (region) => request('GET', '/tasks/summary', { query: { region } }),
}
