import { request, api } from './client.js'
import { measuresApi } from './measures.js'

// 居家隔离户 and their 四包一 (shared/domain.md §4: a community cadre, a grid worker, a doctor and
// a police officer for every household under home quarantine).

// In the order of the documents' 包保人员 rows (社区干部, 网格员, 医生, 民警).
export const DUTIES = ['cadre', 'grid_worker', 'doctor', 'police']

const enc = encodeURIComponent

export const homesApi = {
  // { items: [{ id, address, region, under_measures, start_date, end_date, staffed, complete }],
  //   next, counts: { households, incomplete, people } }
  list: ({ region, incomplete, after, limit }) =>
    request('GET', '/home-quarantine', { query: { region, incomplete: incomplete ? 1 : undefined, after, limit } }),
  // { household, duties: [{ duty, staff, candidates }], complete }
  staff: (id) => request('GET', '/households/' + enc(id) + '/staff'),
  // changes: { cadre?: staffId | null, … }; 400 with details[{ field: duty }] when one does not fit.
  saveStaff: (id, changes) => request('PATCH', '/households/' + enc(id) + '/staff', { body: changes }),
}

// The staff of an answer of homesApi.staff by duty: { cadre: {id, name, role, phone, region} | null, … }.
export function dutyStaff(answer) {
  const list = (answer && Array.isArray(answer.duties)) ? answer.duties : []
  const out = {}
  for (const duty of DUTIES) {
    const x = list.find((y) => y && y.duty === duty)
    out[duty] = (x && x.staff) || null
  }
  return out
}

async function pool(list, n, fn) {
  const out = new Array(list.length)
  let i = 0
  async function worker() {
    while (i < list.length) {
      const k = i++
      out[k] = await fn(list[k], k)
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, list.length) }, worker))
  return out
}

// The current measures of one household whose documents (三公示, 告知书) are printed: the
// 居家隔离医学观察 of its grid whose person lives in it. The list answers carry no household, so
// the people of those measures are looked up (few: the home quarantines of one grid).
export async function householdMeasures(household, { measure = 'home_quarantine' } = {}) {
  const grid = household && household.region && household.region.code
  if (!grid) return []
  const found = []
  let after
  for (let guard = 0; guard < 10; guard++) {
    const page = await measuresApi.list({ region: grid, state: 'current', limit: 200, after })
    for (const m of (page && page.items) || []) if (m.measure === measure && m.person) found.push(m)
    after = page && page.next
    if (!after) break
  }
  const people = await pool(found, 4, (m) => api.person(m.person.id).catch(() => null))
  return found.filter((m, i) => people[i] && String(people[i].household_id) === String(household.id))
}
