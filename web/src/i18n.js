import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN.js'
import en from './locales/en.js'

// The language choice is the only thing the UI keeps in localStorage.
const LANG_KEY = 'cordon.lang'
export const LANGS = ['zh-CN', 'en']

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
  messages: { 'zh-CN': zhCN, en },
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
