import { DUTIES } from '../../api/homes.js'

// The duties a household still lacks, when known: from the list item if the server names them
// (`missing`), else from the duties loaded in the drawer; null when only the count is known.
export function missingOf(household, loaded) {
  if (!household || household.complete) return []
  if (Array.isArray(household.missing)) return DUTIES.filter((d) => household.missing.includes(d))
  if (Array.isArray(loaded)) return DUTIES.filter((d) => loaded.includes(d))
  return null
}

// "唐宏 · 包片领导 · 茶庄街道": how a candidate is offered in a select.
export function staffLabel(s, sep = ' · ') {
  if (!s) return ''
  return [s.name, s.role, s.region && (s.region.name || s.region.code)].filter(Boolean).join(sep)
}

// The choices of the drawer from an answer of GET /households/{id}/staff: the saved person of each
// duty, else the only candidate when there is just one (a proposal, saved with 保存).
export function initialChoice(duty) {
  if (duty && duty.staff && duty.staff.id !== undefined) return { value: duty.staff.id, proposed: false }
  const c = (duty && Array.isArray(duty.candidates)) ? duty.candidates : []
  if (c.length === 1) return { value: c[0].id, proposed: true }
  return { value: null, proposed: false }
}
