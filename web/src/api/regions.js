import { api } from './client.js'

// Region nodes change rarely: keep them for a minute in memory (never in storage).
const TTL_MS = 60_000
const cache = new Map()

export async function getRegion(code, { fresh = false } = {}) {
  const hit = cache.get(code)
  if (!fresh && hit && Date.now() - hit.at < TTL_MS) return hit.promise
  const promise = api.region(code)
  cache.set(code, { at: Date.now(), promise })
  try {
    return await promise
  } catch (e) {
    cache.delete(code)
    throw e
  }
}

export function clearRegionCache() { cache.clear() }

// A node for el-tree / el-tree-select.
export function treeNode(r) {
  const level = Number(r.level) || 0
  const childCount = r.child_count ?? (Array.isArray(r.children) ? r.children.length : undefined)
  return {
    code: r.code,
    name: r.name,
    level,
    level_name: r.level_name,
    population: r.population,
    leaf: level >= 5 || childCount === 0,
  }
}
