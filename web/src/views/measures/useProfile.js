import { ref, computed, onMounted } from 'vue'
import { currentProfile } from '../../api/measures.js'
import { RISK_CATEGORIES } from '../../api/leads.js'

// The current disease profile (防控方案): its plans by category, loaded once a minute at most.
export function useProfile() {
  const profile = ref(null)
  const profileError = ref(null)

  async function load() {
    try {
      profile.value = await currentProfile()
    } catch (e) {
      profileError.value = e
    }
  }
  onMounted(load)

  const plans = computed(() => (profile.value && Array.isArray(profile.value.plans) ? profile.value.plans : []))

  // The categories a measure can be started for: those with a plan, in order of severity.
  const categories = computed(() => {
    if (!plans.value.length) return RISK_CATEGORIES
    const have = new Set(plans.value.map((p) => p.category))
    const known = RISK_CATEGORIES.filter((c) => have.has(c))
    const extra = [...have].filter((c) => !RISK_CATEGORIES.includes(c))
    return known.concat(extra)
  })

  function stepsFor(category) {
    const p = plans.value.find((x) => x.category === category)
    return p && Array.isArray(p.steps) ? p.steps : []
  }

  return { profile, profileError, plans, categories, stepsFor, reload: load }
}
