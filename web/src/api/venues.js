import { request } from './client.js'

// 场所核实 (venue review): venues first seen in a check-in are registered as type 'unknown' and
// wait for review; the type picks the venue's contact window (venue_rules).

// The server's limit on a venue name, in characters.
export const VENUE_NAME_MAX = 100

const enc = encodeURIComponent

export const venuesApi = {
  // needsReview true: the review inbox; false: every venue. q: part of the code or name.
  // → { items: [{ code, name, type, needs_review, checkins }], next: string | null,
  //     counts: { needs_review } }
  list: ({ needsReview = true, q, after, limit } = {}) =>
    request('GET', '/venues', { query: { needs_review: needsReview ? 'true' : 'false', q, after, limit } }),
  // → { items: [{ type, window_seconds, companion_only }] }, 'unknown' last.
  types: () => request('GET', '/venue-types'),
  // { name?, type?, reviewed? } → the venue as saved. 400 with details[{ field }], 404 unknown code.
  update: (code, { name, type, reviewed }) =>
    request('PATCH', '/venues/' + enc(code), { body: { name, type, reviewed } }),
}
