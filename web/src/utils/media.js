import { ref, onMounted, onBeforeUnmount } from 'vue'

// A reactive media query, e.g. useMedia('(max-width: 480px)').
export function useMedia(query) {
  const matches = ref(typeof window !== 'undefined' && window.matchMedia(query).matches)
  let mql = null
  const update = (e) => { matches.value = e.matches }
  onMounted(() => {
    mql = window.matchMedia(query)
    matches.value = mql.matches
    mql.addEventListener('change', update)
  })
  onBeforeUnmount(() => { if (mql) mql.removeEventListener('change', update) })
  return matches
}
