import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN.js'
import en from './locales/en.js'
import casesZhCN from './locales/cases/zh-CN.js'
import casesEn from './locales/cases/en.js'
import traceZhCN from './locales/trace/zh-CN.js'
import traceEn from './locales/trace/en.js'
import venuesZhCN from './locales/venues/zh-CN.js'
import venuesEn from './locales/venues/en.js'
import exportsZhCN from './locales/exports/zh-CN.js'
import exportsEn from './locales/exports/en.js'
import retentionZhCN from './locales/retention/zh-CN.js'
import retentionEn from './locales/retention/en.js'
import purgesZhCN from './locales/purges/zh-CN.js'
import purgesEn from './locales/purges/en.js'
import bootstrapZhCN from './locales/bootstrap/zh-CN.js'
import bootstrapEn from './locales/bootstrap/en.js'

// The language choice is the only thing the UI keeps in localStorage.
const LANG_KEY = 'cordon.lang'
export const LANGS = ['zh-CN', 'en']

// Each capability may keep its strings in its own files (locales/<capability>/<lang>.js); they
// are merged into the main ones, nested keys and all (e.g. a new menu entry).
function merge(base, ...extra) {
  const out = { ...base }
  for (const x of extra) {
    for (const [k, v] of Object.entries(x)) {
      const b = out[k]
      out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? merge(b, v) : v
    }
  }
  return out
}

function initialLocale() {
  try {
    const saved = localStorage.getItem(LANG_KEY)
    if (LANGS.includes(saved)) return saved
  } catch { /* storage unavailable: use the default */ }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': merge(zhCN, casesZhCN, traceZhCN, venuesZhCN, exportsZhCN, retentionZhCN, purgesZhCN, bootstrapZhCN), en: merge(en, casesEn, traceEn, venuesEn, exportsEn, retentionEn, purgesEn, bootstrapEn) },
  missingWarn: false,
  fallbackWarn: false,
})

export function setLocale(lang) {
  if (!LANGS.includes(lang)) return
  i18n.global.locale.value = lang
  document.documentElement.lang = lang
  try { localStorage.setItem(LANG_KEY, lang) } catch { /* ignore */ }
}

document.documentElement.lang = i18n.global.locale.value
