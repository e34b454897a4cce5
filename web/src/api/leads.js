import { ApiError, request } from './client.js'

// Lead sources a file can be imported from (shared/domain.md §3), in menu order.
export const IMPORT_SOURCES = ['assist_notice', 'data_push', 'self_report', 'door_to_door', 'checkpoint', 'tip_off']

// Risk categories, in order of severity (shared/domain.md §3).
export const RISK_CATEGORIES = ['confirmed', 'asymptomatic', 'suspected', 'pool_positive', 'close_contact',
  'secondary_contact', 'inbound', 'high_risk_area', 'medium_risk_area', 'low_risk_area', 'fever', 'recovered']

/**
 * Uploads CSV text as a lead import. The upload goes through XMLHttpRequest rather than the
 * client's fetch because only XHR reports upload progress; the rest follows client.js: same
 * origin, the session cookie, JSON errors as ApiError.
 *
 * @param {{ source: string, fileName: string, text: string, onProgress?: (p: { loaded, total, sent }) => void }} a
 * @returns {{ promise: Promise<object>, abort: () => void }}
 */
export function importLeads({ source, fileName, text, onProgress }) {
  const qs = new URLSearchParams({ source, file_name: fileName })
  const body = new Blob([text], { type: 'text/csv' })
  const xhr = new XMLHttpRequest()
  const promise = new Promise((resolve, reject) => {
    xhr.open('POST', '/api/v1/leads/import?' + qs.toString())
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Content-Type', 'text/csv')
    if (onProgress) {
      xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : body.size, sent: false })
      xhr.upload.onload = () => onProgress({ loaded: body.size, total: body.size, sent: true })
    }
    xhr.onload = () => {
      let data = null
      if (xhr.responseText) {
        try { data = JSON.parse(xhr.responseText) } catch { data = null }
      }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(data); return }
      // A 401 means the session is gone: ask the client, whose 401 handler goes to the login page.
      if (xhr.status === 401) request('GET', '/session').catch(() => {})
      reject(new ApiError(xhr.status, data))
    }
    xhr.onerror = () => reject(new ApiError(0, null))
    xhr.onabort = () => reject(Object.assign(new ApiError(0, null), { code: 'aborted' }))
    xhr.send(body)
  })
  return { promise, abort: () => xhr.abort() }
}

/**
 * Sends rows typed in the browser (入户登记, a 流调 line listing) or pushed by another system as
 * one import: POST /leads { source, batch?, rows: [{ name, id_number, phone, address, origin,
 * category, reported_at, …any other key kept as a note }] }. The answer is the import report of
 * a file, each row with `row`, its index in `rows`. The same rows sent again answer the first
 * report with already_imported: true, so a retry after a lost answer is safe.
 */
export function pushLeads({ source, batch, rows }) {
  return request('POST', '/leads', { body: { source, batch: batch || undefined, rows } })
}

// The per-row report of one import as a CSV download (same origin: the cookie goes with it).
export function importReportUrl(importId) {
  return '/api/v1/leads/imports/' + encodeURIComponent(importId) + '/report.csv'
}

export const tasksApi = {
  list: ({ region, status, limit, after }) => request('GET', '/tasks', { query: { region, status, limit, after } }),
  check: (id, method, note) => request('POST', '/tasks/' + encodeURIComponent(id) + '/check', { body: { method, note } }),
}
