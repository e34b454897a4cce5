// The state of 线索登记, kept in memory at module level: a grid worker who opens a task between
// two doors, or an epidemiologist who looks up a person half-way through a line listing, comes
// back to the same form, the same session list and the same rows. Only the door-to-door building
// prefix is remembered across reloads (localStorage, per user): it names a building, not a person.
import { reactive } from 'vue'

const BUILDING_KEY = 'cordon.leadsEntry.building:'

export const LISTING_SOURCES = ['data_push', 'assist_notice', 'door_to_door']
export const GRID_FIELDS = ['name', 'id_number', 'phone', 'address', 'category', 'contact_time', 'contact_place']

export function blankDoorForm(building = '') {
  return { name: '', id_number: '', phone: '', address: building, origin: '', category: '', note: '' }
}

let rowKey = 0
export function blankRow() {
  return {
    key: ++rowKey,
    cells: Object.fromEntries(GRID_FIELDS.map((f) => [f, ''])),
    touched: {}, // field → true once left (or on an attempt to send): full checks from then on
    outcome: '', // '' | accepted | merged | rejected (the server's answer)
    reason: '',
    field: '', // the field the server named
    doubtful: false,
    personId: 0,
    taskId: 0,
    serverErrors: {}, // field → message of a 400 that named rows[i].field
  }
}

function freshDoor() {
  return { form: blankDoorForm(), entries: [], last: null, seq: 0 }
}

function freshListing() {
  return {
    source: 'data_push',
    batch: '',
    defaultCategory: 'close_contact',
    rows: [blankRow()],
    busy: false,
    error: '',
    errorDetails: [],
    report: null, // { already, importId, sent, at } of the last answer
  }
}

export const state = reactive({
  owner: null,
  building: '',
  door: freshDoor(),
  listing: freshListing(),
})

function storage() {
  try { return window.localStorage } catch { return null }
}

// The work belongs to the user who did it: another user signing in on the same tab starts empty.
export function claimFor(user) {
  const who = String(user ?? '')
  if (state.owner !== null && state.owner !== who) {
    state.door = freshDoor()
    state.listing = freshListing()
  }
  if (state.owner !== who) {
    const s = storage()
    state.building = (s && s.getItem(BUILDING_KEY + who)) || ''
    if (!state.door.form.address) state.door.form.address = state.building
  }
  state.owner = who
}

export function setBuilding(prefix) {
  state.building = prefix || ''
  const s = storage()
  if (!s) return
  try {
    if (prefix) s.setItem(BUILDING_KEY + state.owner, prefix)
    else s.removeItem(BUILDING_KEY + state.owner)
  } catch { /* private mode: remembered for this tab only */ }
}

export function resetListing() {
  const { source, batch, defaultCategory } = state.listing
  state.listing = Object.assign(freshListing(), { source, batch, defaultCategory })
}
