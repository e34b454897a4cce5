import { ApiError, request } from './client.js'

// 密接/次密接查询 and 扫码记录导入 (shared/domain.md §7). Times are Unix seconds.

/**
 * The contacts of the person with this ID number over [from, to]. The ID number travels in the
 * body only, never in a URL. depth 1 = 密接, 2 = 密接 + 次密接.
 * The 次密接 come a page at a time (a secondary set can be most of a city): secondaryLimit
 * (0..10000, the server's default 1000) of them, by person_id, after secondaryAfter (a
 * person_id; the previous answer's secondary_next). Both are left out of the body when not given.
 * → { index: { person_id, id_number, name } (masked), from, to,
 *     contacts: [{ person_id, id_number, name, region, region_name, degree: 1|2, kind,
 *                  via_person_id?, evidence_total,
 *                  evidence: [{ venue_code, venue_name, index_time, contact_time,
 *                               index_at, contact_at, gap_seconds, via_person_id }] }],
 *     companions: [the same, degree 0], counts: { close, secondary, companions },
 *     secondary_next: person_id | null }
 * contacts holds every close contact (degree 1) and only the requested page of secondary ones
 * (degree 2), by person_id; counts.secondary is the total of all of them; secondary_next is the
 * secondaryAfter of the next page, null when this page was the last. evidence is the earliest
 * meetings only (up to 20 for a close contact, just the earliest one for a secondary contact);
 * evidence_total is how many meetings there were.
 * 400 with details[{ field }], 403 for roles without the trace permission, 404 when the person is
 * not in the caller's jurisdiction.
 */
export function searchContacts({ idNumber, from, to, depth, secondaryLimit, secondaryAfter }) {
  const body = { id_number: idNumber, from, to, depth }
  if (secondaryLimit !== undefined && secondaryLimit !== null) body.secondary_limit = secondaryLimit
  if (secondaryAfter !== undefined && secondaryAfter !== null) body.secondary_after = secondaryAfter
  return request('POST', '/trace/contacts', { body })
}

/**
 * Uploads a check-in CSV file (header person_id_number,venue_code,time; UTF-8 or GBK: the server
 * decodes it) as the request body, as it is on disk. Through XMLHttpRequest, as importLeads does,
 * because only XHR reports upload progress.
 * → { promise: Promise<{ accepted, duplicates, new_venues, new_people, rejected: [{ line, reason }] }>,
 *     abort }
 */
export function uploadCheckins({ file, onProgress }) {
  const xhr = new XMLHttpRequest()
  const size = file.size || 0
  const promise = new Promise((resolve, reject) => {
    xhr.open('POST', '/api/v1/checkins')
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Content-Type', 'text/csv')
    if (onProgress) {
      xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : size, sent: false })
      xhr.upload.onload = () => onProgress({ loaded: size, total: size, sent: true })
    }
    xhr.onload = () => {
      let data = null
      if (xhr.responseText) {
        try { data = JSON.parse(xhr.responseText) } catch { data = null }
      }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(data); return }
      // The session is gone: the client's own 401 handler goes to the login page.
      if (xhr.status === 401) request('GET', '/session').catch(() => {})
      reject(new ApiError(xhr.status, data))
    }
    xhr.onerror = () => reject(new ApiError(0, null))
    xhr.onabort = () => reject(Object.assign(new ApiError(0, null), { code: 'aborted' }))
    xhr.send(file)
  })
  return { promise, abort: () => xhr.abort() }
}
