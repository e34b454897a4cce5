import { i18n } from '../../i18n.js'

// Words for venue types and their contact windows, shared by the list and the edit dialog.

const t = (...a) => i18n.global.t(...a)
const te = (k) => i18n.global.te(k)

export function typeText(type) {
  if (!type) return '—'
  return te('venues.types.' + type) ? t('venues.types.' + type) : type
}

// 300 → "±5 分钟"; a window that is not whole minutes in seconds.
export function windowText(seconds) {
  const s = Number(seconds) || 0
  return s % 60 === 0 ? t('venues.window', { n: s / 60 }) : t('venues.windowSeconds', { n: s })
}

// "交通站点（时空伴随 ±5 分钟）", "餐饮（±30 分钟）".
export function typeOption(x) {
  const args = { type: typeText(x.type), window: windowText(x.window_seconds) }
  return x.companion_only ? t('venues.typeOptionCompanion', args) : t('venues.typeOption', args)
}
