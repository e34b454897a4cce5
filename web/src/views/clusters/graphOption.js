// The ECharts option of a 传播链 (GET /clusters/{id}/graph) in one of three layouts:
//   network   a force-directed graph (who is linked to whom);
//   hierarchy x = generation (0 = no known source inside the cluster), the people of one
//             generation spread along y in the order of their sources;
//   timeline  x = onset date (else the date of the positive result, drawn hollow), the people of
//             one day spread along y. People with neither date are left out and counted.
// Pure: no Vue, no i18n instance (labels come through `text`).
import { CLASS_COLORS, NON_CASE_COLOR, dateOfEpoch } from '../cases/caseUtil.js'

export const LAYOUTS = ['network', 'hierarchy', 'timeline']
export const CLASS_ORDER = ['confirmed', 'asymptomatic', 'suspected', 'none']
const KIND_LINE = { household: 'solid', named: 'solid', co_presence: 'dashed', unknown: 'dotted' }

const idOf = (n) => String(n.person_id)
const classOf = (n) => (n.case_id && CLASS_COLORS[n.classification] ? n.classification : 'none')

// Local midnight of a YYYY-MM-DD, so that the time axis (in the browser's zone) shows that day.
export function dayMs(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(date || ''))
  return m ? new Date(+m[1], +m[2] - 1, +m[3]).getTime() : null
}

// { [id]: y } spreading each column's members around 0, ordered by the mean y of their sources
// (a barycentre pass, left to right), then by onset, then by id.
function spread(columns, sourcesOf, onsetOf) {
  const ys = {}
  const keys = [...columns.keys()].sort((a, b) => a - b)
  for (const k of keys) {
    const members = columns.get(k)
    const weight = (id) => {
      const ss = sourcesOf(id).filter((s) => ys[s] !== undefined)
      return ss.length ? ss.reduce((a, s) => a + ys[s], 0) / ss.length : 0
    }
    members.sort((a, b) => weight(a) - weight(b) || String(onsetOf(a)).localeCompare(String(onsetOf(b))) || a.localeCompare(b))
    members.forEach((id, i) => { ys[id] = i - (members.length - 1) / 2 })
  }
  return ys
}

// → { option, undated: n, maxGeneration }
export function buildGraphOption(graph, { layout = 'network', selected = null, text = {}, phone = false } = {}) {
  const nodes = (graph && graph.nodes) || []
  const links = ((graph && graph.links) || []).filter((l) => l && l.source !== undefined && l.target !== undefined)
  const byId = new Map(nodes.map((n) => [idOf(n), n]))
  const sources = new Map()
  for (const l of links) {
    const tgt = String(l.target)
    if (!sources.has(tgt)) sources.set(tgt, [])
    sources.get(tgt).push(String(l.source))
  }
  const sourcesOf = (id) => sources.get(id) || []
  const onsetOf = (id) => (byId.get(id) && byId.get(id).onset_date) || ''

  let positions = null // { [id]: [x, y] } in the cartesian layouts
  let undated = 0
  const hollow = new Set()
  let maxGeneration = 0
  if (layout === 'hierarchy') {
    const cols = new Map()
    for (const n of nodes) {
      const g = Number.isFinite(Number(n.generation)) ? Number(n.generation) : 0
      maxGeneration = Math.max(maxGeneration, g)
      if (!cols.has(g)) cols.set(g, [])
      cols.get(g).push(idOf(n))
    }
    const ys = spread(cols, sourcesOf, onsetOf)
    positions = {}
    for (const n of nodes) positions[idOf(n)] = [Number(n.generation) || 0, ys[idOf(n)]]
  } else if (layout === 'timeline') {
    const cols = new Map()
    const xs = {}
    for (const n of nodes) {
      let x = dayMs(n.onset_date)
      if (x === null && n.positive_at) { x = dayMs(dateOfEpoch(n.positive_at)); hollow.add(idOf(n)) }
      if (x === null) { undated++; continue }
      xs[idOf(n)] = x
      if (!cols.has(x)) cols.set(x, [])
      cols.get(x).push(idOf(n))
    }
    const ys = spread(cols, sourcesOf, onsetOf)
    positions = {}
    for (const id of Object.keys(xs)) positions[id] = [xs[id], ys[id]]
  }

  const shown = positions ? nodes.filter((n) => positions[idOf(n)]) : nodes
  const shownIds = new Set(shown.map(idOf))
  const data = shown.map((n) => {
    const id = idOf(n)
    const cls = classOf(n)
    const color = cls === 'none' ? NON_CASE_COLOR : CLASS_COLORS[cls]
    const isSel = selected !== null && String(selected) === id
    const item = {
      id, name: n.name || id, category: CLASS_ORDER.indexOf(cls), raw: n,
      symbolSize: (n.case_id ? 22 : 14) + (isSel ? 6 : 0),
      itemStyle: hollow.has(id)
        ? { color: '#fff', borderColor: color, borderWidth: 3 }
        : { color, borderColor: isSel ? '#14243b' : '#fff', borderWidth: isSel ? 3 : 1.5 },
      label: { show: true, position: 'bottom', fontSize: phone ? 10 : 11, color: '#14243b', fontWeight: isSel ? 700 : 400 },
    }
    if (positions) item.value = positions[id]
    return item
  })
  const edges = links.filter((l) => shownIds.has(String(l.source)) && shownIds.has(String(l.target))).map((l) => ({
    source: String(l.source), target: String(l.target), raw: l,
    lineStyle: { type: KIND_LINE[l.kind] || 'solid', width: 1.6, color: '#8795ab', curveness: layout === 'network' ? 0.08 : 0.15 },
  }))

  const categories = CLASS_ORDER.map((c) => ({
    name: (text.classes && text.classes[c]) || c, itemStyle: { color: c === 'none' ? NON_CASE_COLOR : CLASS_COLORS[c] },
  }))
  const series = {
    type: 'graph', data, links: edges, categories,
    edgeSymbol: ['none', 'arrow'], edgeSymbolSize: [0, 8],
    emphasis: { focus: 'adjacency', lineStyle: { width: 2.5 } },
    labelLayout: { hideOverlap: true },
    cursor: 'pointer',
  }
  const base = {
    animationDurationUpdate: 400,
    legend: { data: categories.map((c) => c.name), top: 4, left: 'center', textStyle: { color: '#3b4a5e', fontSize: 12 }, itemWidth: 12, itemHeight: 12 },
    tooltip: { trigger: 'item', confine: true, formatter: text.tooltip || undefined },
  }
  if (!positions) {
    return {
      undated, maxGeneration,
      option: {
        ...base,
        series: [{
          ...series, layout: 'force', roam: true, draggable: true, zoom: nodes.length <= 12 ? 1.8 : 1,
          force: { repulsion: phone ? 120 : 220, edgeLength: phone ? 50 : 90, gravity: 0.08 },
        }],
      },
    }
  }
  // Explicit ranges: a column of one (or a chain in one line) stays in the middle, not on an edge.
  const pts = Object.values(positions)
  const xs = pts.map((p) => p[0])
  const ys = pts.map((p) => p[1])
  const yMax = Math.max(1, ...ys.map(Math.abs)) + 0.8
  const axisLabel = { color: '#4a5a70', fontSize: 11 }
  const xAxis = layout === 'hierarchy'
    ? {
        type: 'value', min: -0.5, max: maxGeneration + 0.5, interval: 1, position: 'top', axisLine: { show: false, onZero: false },
        axisLabel: { ...axisLabel, formatter: (v) => (Number.isInteger(v) && text.generation ? text.generation(v) : '') },
        splitLine: { show: true, lineStyle: { color: '#eef1f5' } }, axisTick: { show: false },
      }
    : {
        type: 'time', position: 'top', minInterval: 86400000,
        min: xs.length ? Math.min(...xs) - 43200000 : undefined, max: xs.length ? Math.max(...xs) + 43200000 : undefined,
        axisLabel: { ...axisLabel, formatter: '{MM}-{dd}', hideOverlap: true }, axisLine: { onZero: false, lineStyle: { color: '#d9e1ec' } },
        splitLine: { show: true, lineStyle: { color: '#eef1f5' } },
      }
  return {
    undated, maxGeneration,
    option: {
      ...base,
      grid: { left: 30, right: 30, top: 60, bottom: 30 },
      xAxis,
      yAxis: { type: 'value', show: false, inverse: true, min: -yMax, max: yMax },
      series: [{ ...series, coordinateSystem: 'cartesian2d' }],
    },
  }
}
