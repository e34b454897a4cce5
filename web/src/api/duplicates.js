import { request } from './client.js'

// 疑似重复档案 and 合并档案 (一人一档): a queue of pairs of person files that may be one person,
// merged into one file (the other becomes a pointer to it), kept apart, or a merge undone.

// The queue's tabs: 待处理, 已合并, 保持分开.
export const DUP_STATUSES = ['open', 'merged', 'kept_apart']

// What a merge chooses, group by group: which file's identity (ID number, ID type, birth date and
// sex together), name, phone and address the kept file ends with.
export const MERGE_GROUPS = ['identity', 'name', 'phone', 'address']
export const SIDES = ['left', 'right']

const enc = encodeURIComponent

export const duplicatesApi = {
  // { items: [pair], next, counts: { open, merged, kept_apart } }; a pair is { id, status, reason
  // (same_name_phone | reported), note (the reporter's words), source (a lead source, people, scan or
  // reported), created_at, created_by, decided_at, decided_by, decision_note, merge_id, kept_id
  // (the kept file once merged), differs (fields whose unmasked values differ), left_id, right_id,
  // left, right }. A side the caller may not see (moved away, or merged into another file) is null.
  list: ({ status, limit, cursor } = {}) => request('GET', '/duplicates', { query: { status, limit, cursor } }),
  // The pair as in the list, with left: { person, holds } and right: { person, holds } (person
  // null for a side the caller may not see). After an undone merge the pair is kept_apart, its
  // merge_id kept, and decided_* / decision_note name the undo.
  get: (id) => request('GET', '/duplicates/' + enc(id)),
  // body { keep, identity, name, phone, address, reason } → { merge_id, kept, merged_id };
  // 409 when both files have a current measure.
  merge: (id, { keep, identity, name, phone, address, reason }) =>
    request('POST', '/duplicates/' + enc(id) + '/merge', { body: { keep, identity, name, phone, address, reason } }),
  keepApart: (id, reason) => request('POST', '/duplicates/' + enc(id) + '/keep-apart', { body: { reason } }),
  // 标记为重复 from a person's file → 201 { id } (the pair already queued, if it was).
  report: ({ leftId, rightId, reason }) =>
    request('POST', '/duplicates', { body: { left_id: Number(leftId), right_id: Number(rightId), reason } }),
  // 扫描本辖区: queues name + phone duplicates in the caller's jurisdiction → { scanned, queued }.
  scan: () => request('POST', '/duplicates/scan', { body: {} }),
}

export const mergesApi = {
  // { items: [{ id, kept_id, merged_id, actor, at, reason, undone_at, undone_by, undo_reason }] }
  forPerson: (personId) => request('GET', '/people/' + enc(personId) + '/merges'),
  // → { merge_id, restored: [kept_id, merged_id] }; 409 when the kept file changed since.
  undo: (mergeId, reason) => request('POST', '/merges/' + enc(mergeId) + '/undo', { body: { reason } }),
}
