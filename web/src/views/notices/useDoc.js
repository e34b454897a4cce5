import { useI18n } from 'vue-i18n'
import { ymdParts } from './noticeUtil.js'

// The documents' words: always the Chinese of noticeDoc, whatever the UI language (they are
// official documents; en.js carries the same block).
export function useDoc() {
  const { t, tm, rt } = useI18n()
  const zh = (key, params = {}) => t(key, params, { locale: 'zh-CN' })
  const d = (key, params = {}) => zh('noticeDoc.' + key, params)
  const dl = (key, params = {}) => (tm('noticeDoc.' + key) || []).map((m) => (typeof m === 'string' ? m : rt(m, params)))
  // 2026-11-24 → 2026年11月24日; an unknown date leaves a line to write on.
  const cnDate = (dateStr) => {
    const p = ymdParts(dateStr)
    return p ? d('ymd', p) : d('dateBlank')
  }
  return { d, dl, zh, cnDate }
}
