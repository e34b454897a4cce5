import { ref } from 'vue'
import { clustersApi } from '../../api/cases.js'

// The clusters (聚集性疫情) for the pickers and filters: asked once a minute at most.
const TTL_MS = 60_000
let hit = null

export function loadClusters({ fresh = false } = {}) {
  if (!fresh && hit && Date.now() - hit.at < TTL_MS) return hit.promise
  const promise = clustersApi.list().then((d) => (d && d.clusters) || [])
  hit = { at: Date.now(), promise }
  promise.catch(() => { if (hit && hit.promise === promise) hit = null })
  return promise
}

export function forgetClusters() { hit = null }

export function useClusters() {
  const clusters = ref([])
  const reload = async (opts) => {
    try { clusters.value = await loadClusters(opts) } catch { clusters.value = [] }
  }
  reload()
  return { clusters, reload }
}
