// The ECharts option of the 流行曲线: stacked bars by date (确诊病例, 无症状感染者, 疑似病例).
import { CLASSIFICATIONS } from '../../api/cases.js'
import { CLASS_COLORS } from '../cases/caseUtil.js'

export function totalsOf(days) {
  const out = { confirmed: 0, asymptomatic: 0, suspected: 0, all: 0 }
  for (const d of days || []) {
    for (const c of CLASSIFICATIONS) out[c] += Number(d[c] || 0)
  }
  out.all = out.confirmed + out.asymptomatic + out.suspected
  return out
}

// names: { confirmed, asymptomatic, suspected }; fmt: a number formatter.
export function epicurveOption(days, { names, fmt = String, phone = false, dark = false } = {}) {
  const list = days || []
  const text = dark ? '#9fb6d6' : '#4a5a70'
  const split = dark ? 'rgba(120,160,210,.12)' : '#eef1f5'
  const long = list.length > (phone ? 20 : 60)
  return {
    color: CLASSIFICATIONS.map((c) => CLASS_COLORS[c]),
    legend: { top: 0, textStyle: { color: text, fontSize: 12 }, itemWidth: 12, itemHeight: 12 },
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (ps) => {
        if (!ps.length) return ''
        const total = ps.reduce((s, p) => s + Number(p.value || 0), 0)
        return `<b>${ps[0].axisValue}</b> · ${fmt(total)}<br/>` + ps.map((p) => `${p.marker}${p.seriesName}: ${fmt(p.value)}`).join('<br/>')
      },
    },
    grid: { left: 8, right: 12, top: 34, bottom: long ? 44 : 8, containLabel: true },
    xAxis: {
      type: 'category', data: list.map((d) => d.date),
      axisLabel: { color: text, fontSize: 11, formatter: (v) => String(v).slice(5), hideOverlap: true },
      axisTick: { alignWithLabel: true }, axisLine: { lineStyle: { color: dark ? 'rgba(120,160,210,.3)' : '#d9e1ec' } },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: text, fontSize: 11 }, splitLine: { lineStyle: { color: split } } },
    dataZoom: long ? [{ type: 'slider', height: 18, bottom: 6 }, { type: 'inside' }] : [],
    series: CLASSIFICATIONS.map((c) => ({
      name: (names && names[c]) || c, type: 'bar', stack: 'cases', barMaxWidth: 28,
      data: list.map((d) => Number(d[c] || 0)),
      emphasis: { focus: 'series' },
    })),
  }
}
