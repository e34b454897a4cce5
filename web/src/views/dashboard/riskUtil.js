// The 风险人员管控 section of the dashboard: the rows behind its table and the options of its
// charts, built from GET /measures/summary and GET /tasks/summary (api/summary.js). Plain
// functions: the component passes `t` and the answers in.

import { MEASURES } from '../../api/measures.js'
import { RISK_CATEGORIES } from '../../api/leads.js'
import { fmtNumber, fmtPercent } from '../../utils/format.js'

// Colours on the dark screen, following shared/ui.md: red for hospital and cases, orange for
// central quarantine and close contacts, yellow for home quarantine and secondary contacts,
// blue for monitoring.
export const MEASURE_COLORS = {
  hospital: '#f5484b', central_quarantine: '#fa8c16', home_quarantine: '#fadb14',
  home_monitoring: '#40a9ff', health_monitoring: '#36cfc9', temporary_control: '#9c7cf4',
}
export const CATEGORY_COLORS = {
  confirmed: '#f5222d', asymptomatic: '#ff7875', suspected: '#cf1322', pool_positive: '#ff4d4f',
  close_contact: '#fa8c16', inbound: '#ffc069', high_risk_area: '#ff7a45',
  secondary_contact: '#fadb14', medium_risk_area: '#d4b106', fever: '#ffe58f',
  low_risk_area: '#40a9ff', recovered: '#52c41a',
}
const OTHER_COLORS = ['#8fa7c7', '#b37feb', '#5cdbd3', '#ff85c0', '#95de64']
export const OPEN_COLOR = '#2f8fe8'
export const OVERDUE_COLOR = '#f5484b'

const n = (v) => Number(v || 0)

// Known codes first in their usual order, then any code the server added, as they come.
function ordered(known, ...maps) {
  const seen = new Set()
  for (const m of maps) for (const k of Object.keys(m || {})) seen.add(k)
  return known.filter((k) => seen.has(k)).concat([...seen].filter((k) => !known.includes(k)))
}

// The measure kinds worth a column or a stack: those counted anywhere in the answer.
export function measureKinds(measures) {
  if (!measures) return []
  const maps = [measures.totals && measures.totals.by_measure]
  for (const c of measures.children || []) maps.push(c.by_measure)
  if (measures.unassigned) maps.push(measures.unassigned.by_measure)
  return ordered(MEASURES, ...maps).filter((k) => maps.some((m) => m && n(m[k]) > 0))
}

export function measureColor(kind, i = 0) { return MEASURE_COLORS[kind] || OTHER_COLORS[i % OTHER_COLORS.length] }
export function categoryColor(code, i = 0) { return CATEGORY_COLORS[code] || OTHER_COLORS[i % OTHER_COLORS.length] }

export function measureName(t, te, kind) {
  return te('measures.short.' + kind) ? t('measures.short.' + kind) : kind
}
export function measureFullName(t, te, kind) {
  return te('measures.names.' + kind) ? t('measures.names.' + kind) : kind
}
export function categoryName(t, te, code) {
  return te('risk.categories.' + code) ? t('risk.categories.' + code) : code
}

/**
 * The rows of the table and the charts: one per child region (in the order the server gives,
 * children only one answer knows at the end), then 本级待分配 when either answer has
 * `unassigned`. A node without children (a grid) gives one row of its own totals.
 * Each row: { key, code, name, kind: 'child' | 'unassigned' | 'self', m, k } where m is the
 * measures entry (or null) and k the tasks entry (or null).
 */
export function buildRows(measures, tasks) {
  const rows = []
  const byCode = new Map()
  const add = (c, which) => {
    let r = byCode.get(c.code)
    if (!r) {
      r = { key: 'c' + c.code, code: c.code, name: c.name, level: c.level, kind: 'child', m: null, k: null }
      byCode.set(c.code, r)
      rows.push(r)
    }
    r[which] = c
  }
  for (const c of (measures && measures.children) || []) add(c, 'm')
  for (const c of (tasks && tasks.children) || []) add(c, 'k')

  const region = (measures && measures.region) || (tasks && tasks.region) || null
  if (!rows.length && region) {
    rows.push({
      key: 'self', code: region.code, name: region.name, level: region.level, kind: 'self',
      m: measures ? measures.totals || null : null, k: tasks ? tasks.totals || null : null,
    })
  }
  const mu = measures && measures.unassigned
  const ku = tasks && tasks.unassigned
  if (mu || ku) {
    const u = mu || ku
    rows.push({ key: 'unassigned', code: u.code, name: u.name, level: u.level, kind: 'unassigned', m: mu || null, k: ku || null })
  }
  return rows
}

// The rows each bar chart shows, in its order (a click on bar i is about row i): 本级待分配 only
// when it has someone in it.
export function measuresBarRows(rows) { return rows.filter((r) => r.kind !== 'unassigned' || (r.m && n(r.m.total) > 0)) }
export function tasksBarRows(rows) { return rows.filter((r) => r.k && (r.kind !== 'unassigned' || n(r.k.open) > 0)) }

const axisText = { color: '#9fb6d6', fontSize: 12 }
const splitLine = { lineStyle: { color: 'rgba(120,160,210,.12)' } }
const axisLine = { lineStyle: { color: 'rgba(120,160,210,.3)' } }
const tooltipBase = {
  backgroundColor: 'rgba(8,24,50,.94)', borderColor: '#2b6cb5', textStyle: { color: '#e6f0ff', fontSize: 12 },
}

function categoryAxis(names, phone) {
  const many = names.length > (phone ? 3 : 6)
  return {
    type: 'category', data: names,
    axisLabel: {
      ...axisText, color: '#d6e3f5', interval: 0, rotate: many ? 35 : 0,
      width: many ? 90 : Math.max(60, Math.floor((phone ? 300 : 900) / Math.max(1, names.length))), overflow: 'truncate',
    },
    axisLine, axisTick: { show: false },
  }
}

// A stack of zero height on top of the others, whose label shows the whole bar.
function totalLabelSeries(stack, totals) {
  return {
    name: '__total', type: 'bar', stack, silent: true, data: totals.map(() => 0), barMaxWidth: 34,
    itemStyle: { color: 'transparent' }, tooltip: { show: false },
    label: {
      show: true, position: 'top', color: '#e6f0ff', fontSize: 12, fontWeight: 600,
      formatter: (p) => (totals[p.dataIndex] ? fmtNumber(totals[p.dataIndex]) : ''),
    },
  }
}

/** 下级区划管控措施: one bar per row, stacked by measure kind. */
export function measuresBarOption({ rows, kinds, t, te, phone }) {
  const list = measuresBarRows(rows)
  const names = list.map((r) => (r.kind === 'unassigned' ? t('riskBoard.unassignedRow') : r.name))
  const totals = list.map((r) => n(r.m && r.m.total))
  const series = kinds.map((kind, i) => ({
    name: measureName(t, te, kind), type: 'bar', stack: 'm', barMaxWidth: 34,
    itemStyle: { color: measureColor(kind, i) },
    emphasis: { focus: 'series' },
    data: list.map((r) => n(r.m && r.m.by_measure && r.m.by_measure[kind])),
  }))
  return {
    grid: { left: 8, right: 12, top: 36, bottom: 6, containLabel: true },
    legend: {
      top: 0, left: 0, itemWidth: 10, itemHeight: 10, itemGap: 12, data: series.map((s) => s.name),
      textStyle: { color: '#c9d8ec', fontSize: 12 },
    },
    tooltip: {
      ...tooltipBase, trigger: 'axis', axisPointer: { type: 'shadow', shadowStyle: { color: 'rgba(54,163,247,.12)' } },
      formatter: (ps) => {
        const i = ps.length ? ps[0].dataIndex : 0
        const lines = ps.filter((p) => p.seriesName !== '__total' && p.value > 0)
          .map((p) => `${p.marker}${p.seriesName}　<b>${fmtNumber(p.value)}</b>`)
        return `${names[i]}　${t('riskBoard.under')} <b>${fmtNumber(totals[i])}</b>${lines.length ? '<br/>' + lines.join('<br/>') : ''}`
      },
    },
    xAxis: categoryAxis(names, phone),
    yAxis: { type: 'value', minInterval: 1, axisLabel: { ...axisText, formatter: (v) => fmtNumber(v) }, splitLine },
    series: [...series, totalLabelSeries('m', totals)],
  }
}

/** 人员类别构成: the totals by risk category as a ring, the total in its middle. */
export function categoryRingOption({ byCategory, total, t, te, phone }) {
  const codes = ordered(RISK_CATEGORIES, byCategory).filter((c) => n(byCategory[c]) > 0)
  const data = codes.map((c, i) => ({
    name: categoryName(t, te, c), value: n(byCategory[c]), itemStyle: { color: categoryColor(c, i) },
  }))
  const sum = data.reduce((s, d) => s + d.value, 0) || n(total)
  return {
    tooltip: { ...tooltipBase, trigger: 'item', formatter: (p) => `${p.marker}${p.name}<br/><b>${fmtNumber(p.value)}</b> · ${fmtPercent(p.value, sum)}` },
    legend: phone
      ? { bottom: 0, left: 'center', itemWidth: 10, itemHeight: 10, textStyle: { color: '#c9d8ec', fontSize: 12 } }
      : {
          orient: 'vertical', left: '57%', top: 'middle', itemWidth: 10, itemHeight: 10, itemGap: 10,
          textStyle: { color: '#c9d8ec', fontSize: 12, width: 170, overflow: 'truncate' },
          formatter: (name) => {
            const d = data.find((x) => x.name === name)
            return d ? `${name}  ${fmtNumber(d.value)}` : name
          },
        },
    series: [{
      type: 'pie', radius: phone ? ['36%', '56%'] : ['42%', '64%'], center: phone ? ['50%', '42%'] : ['28%', '50%'],
      avoidLabelOverlap: true, itemStyle: { borderColor: '#0b1d3a', borderWidth: 2 },
      label: {
        show: true, position: 'center', color: '#e6f0ff', fontSize: 14,
        formatter: () => `{v|${fmtNumber(n(total))}}\n${t('riskBoard.ringCenter')}`,
        rich: { v: { fontSize: 22, fontWeight: 700, color: '#fff', lineHeight: 28 } },
      },
      labelLine: { show: false },
      emphasis: { scale: true, scaleSize: 4, label: { show: true } },
      data,
    }],
  }
}

/** 下级区划排查任务: open tasks per row, the overdue part in red on top of the rest. */
export function tasksBarOption({ rows, t, phone }) {
  const list = tasksBarRows(rows)
  const names = list.map((r) => (r.kind === 'unassigned' ? t('riskBoard.unassignedRow') : r.name))
  const open = list.map((r) => n(r.k.open))
  const overdue = list.map((r) => Math.min(n(r.k.overdue), n(r.k.open)))
  return {
    grid: { left: 8, right: 12, top: 36, bottom: 6, containLabel: true },
    legend: {
      top: 0, left: 0, itemWidth: 10, itemHeight: 10, itemGap: 12,
      data: [t('riskBoard.openInTime'), t('riskBoard.overdue')], textStyle: { color: '#c9d8ec', fontSize: 12 },
    },
    tooltip: {
      ...tooltipBase, trigger: 'axis', axisPointer: { type: 'shadow', shadowStyle: { color: 'rgba(54,163,247,.12)' } },
      formatter: (ps) => {
        const i = ps.length ? ps[0].dataIndex : 0
        const unrouted = n(list[i] && list[i].k.unrouted)
        let s = `${names[i]}<br/>${t('riskBoard.tasksOpen')} <b>${fmtNumber(open[i])}</b>`
        s += `<br/>${t('riskBoard.overdue')} <b style="color:${overdue[i] ? OVERDUE_COLOR : 'inherit'}">${fmtNumber(overdue[i])}</b>`
        if (unrouted) s += `<br/>${t('riskBoard.unrouted')} <b>${fmtNumber(unrouted)}</b>`
        return s
      },
    },
    xAxis: categoryAxis(names, phone),
    yAxis: { type: 'value', minInterval: 1, axisLabel: { ...axisText, formatter: (v) => fmtNumber(v) }, splitLine },
    series: [
      {
        name: t('riskBoard.openInTime'), type: 'bar', stack: 'k', barMaxWidth: 34,
        itemStyle: { color: OPEN_COLOR }, data: open.map((v, i) => v - overdue[i]),
      },
      {
        name: t('riskBoard.overdue'), type: 'bar', stack: 'k', barMaxWidth: 34,
        itemStyle: { color: OVERDUE_COLOR }, data: overdue,
      },
      totalLabelSeries('k', open),
    ],
  }
}

