import { request } from './client.js'

// 居家服务 (代购, 垃圾清运) for people under home measures, and 有奖举报 (public tip-offs) with the
// staff's list of them. Money travels as yuan strings ("86.50", at most two decimals) and comes
// back as cents.

export const SERVICE_KINDS = ['shopping', 'rubbish']
// The list filter: 待办, 已办, 全部.
export const SERVICE_STATUSES = ['open', 'done', 'all']
// The tip-off list filter: 待核实, 属实, 不实, 全部.
export const TIP_STATUSES = ['open', 'verified', 'unfounded', 'all']
// How a tip-off is closed.
export const TIP_VERDICTS = ['verified', 'unfounded']

// The server's limits (src/home_services).
export const DETAIL_MAX = 500
export const OUTCOME_MAX = 500
export const TIP_ADDRESS_MIN = 4
export const TIP_ADDRESS_MAX = 200
export const TIP_DETAIL_MIN = 4
export const TIP_DETAIL_MAX = 1000
export const YUAN_MAX = 100000

const enc = encodeURIComponent

export const servicesApi = {
  // → { items: [service], next, counts: { shopping_open, rubbish_open, unpaid_cents } }
  list: ({ kind, status, region, after, limit } = {}) =>
    request('GET', '/services', { query: { kind, status, region, after, limit } }),
  // kind shopping (advanced: yuan string, optional) | rubbish (done: a round already made) → 201 service;
  // 404 when the measure is not current (or not in the user's jurisdiction).
  create: (measureId, { kind, detail, advanced, done }) =>
    request('POST', '/measures/' + enc(measureId) + '/services', {
      body: {
        kind,
        detail,
        advanced: advanced || undefined,
        done: done === undefined ? undefined : !!done,
      },
    }),
  // 办结: repaid (yuan string) ≤ the advanced amount; 409 when done already.
  finish: (id, { outcome, repaid }) =>
    request('POST', '/services/' + enc(id) + '/done', { body: { outcome, repaid: repaid || undefined } }),
}

export const tipOffsApi = {
  // → { items: [tip-off], next }
  list: ({ status, region, after, limit } = {}) => request('GET', '/tip-offs', { query: { status, region, after, limit } }),
  // status verified (reward: yuan string, optional) | unfounded; 409 when closed already.
  close: (id, { status, outcome, reward }) =>
    request('POST', '/tip-offs/' + enc(id) + '/close', { body: { status, outcome, reward: reward || undefined } }),
}

// The public form (no session; 10 an hour from one address, then 429). Never sends anyone to
// /login: the page handles every error itself. → { receipt, message }
export const publicTipOffApi = {
  send: ({ address, detail, phone }) =>
    request('POST', '/public/tip-offs', {
      body: { address, detail, phone: phone || undefined },
      skipAuthRedirect: true,
    }),
}
