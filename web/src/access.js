// Which roles see which live pages. The server enforces access; this only shapes the menu.
export const ROLES = ['admin', 'commander', 'epidemiologist', 'site_manager', 'grid_worker',
  'testing', 'logistics', 'inspector', 'auditor']

const PAGE_ROLES = {
  dashboard: ROLES,
  people: ['admin', 'commander', 'epidemiologist', 'site_manager', 'grid_worker', 'testing', 'inspector'],
  // 排查任务: grid workers check their own grids' tasks (the server scopes the list); command and
  // the tracing teams follow them across the jurisdiction.
  tasks: ['admin', 'commander', 'epidemiologist', 'grid_worker'],
  // 线索导入: the command centre and the tracing teams receive the lists (协查通报, 大数据推送, …).
  // There is no street or community staff role yet; community cadres work as grid_worker.
  leadsImport: ['admin', 'commander', 'epidemiologist'],
  // 线索登记: grid workers register people at the door (入户登记); the command centre and the
  // tracing teams also type line listings (see leadsBatch below).
  leadsEntry: ['admin', 'commander', 'epidemiologist', 'grid_worker'],
  // 疑似重复档案 (合并档案 / 保持分开 / 撤销合并): the people_merge permission. Those who keep the
  // files one person each: the tracing teams and the grid workers; the command centre does not merge.
  duplicates: ['admin', 'epidemiologist', 'grid_worker'],
  // 管控中人员: command follows every measure; the tracing teams, grid workers (居家) and site
  // managers (集中隔离) run them. The server scopes the list to the user's jurisdiction.
  measures: ['admin', 'commander', 'epidemiologist', 'grid_worker', 'site_manager'],
  // 居家隔离户 (四包一): the same readers; naming the staff is measureAct.
  homeQuarantine: ['admin', 'commander', 'epidemiologist', 'grid_worker', 'site_manager'],
  // 健康随访 and 预警: those who run the measures record the follow-ups and handle the alerts; the
  // command centre follows them (read). The server scopes both lists to the jurisdiction.
  followups: ['admin', 'commander', 'epidemiologist', 'grid_worker', 'site_manager'],
  alerts: ['admin', 'commander', 'epidemiologist', 'grid_worker', 'site_manager'],
  // 居家服务 (代购, 垃圾清运): the measures' readers; registering and closing is measureAct.
  homeServices: ['admin', 'commander', 'epidemiologist', 'grid_worker', 'site_manager'],
  // 举报线索 (有奖举报): those who read the check tasks; closing is tipOffClose.
  tipOffs: ['admin', 'commander', 'epidemiologist', 'grid_worker'],
  // 告知书打印 (告知书, 三公示, 封条, 解除证明): those who act on the measures (measureAct).
  notices: ['admin', 'epidemiologist', 'grid_worker', 'site_manager'],
  audit: ['admin', 'auditor'],
  // 数据保留 (保留期限, 立即执行删除): the administrator only (the server answers 403 to others).
  retention: ['admin'],
  // 数据销毁 (end-of-incident purge): the administrator asks, a second admin or a city-wide
  // commander approves (the server says which purge the user may approve: can_approve).
  purges: ['admin', 'commander'],
  // 导出管理: those with the export right (their own exports); command and admin also approve
  // the full-list requests (exportApprove).
  exports: ['admin', 'commander', 'epidemiologist', 'grid_worker'],
  // 流调溯源: the tracing teams and command read and write cases; the auditor reads; grid workers
  // read the cases of their grids only (the server scopes and masks the list), nothing else of it.
  cases: ['admin', 'commander', 'epidemiologist', 'auditor', 'grid_worker'],
  clusters: ['admin', 'commander', 'epidemiologist', 'auditor'],
  epicurve: ['admin', 'commander', 'epidemiologist', 'auditor'],
  clock: ['admin', 'commander', 'epidemiologist', 'auditor'],
  // 密接/次密接查询: where everyone went is the most sensitive data here: the tracing teams and
  // command only (the trace permission; the server answers 403 to others).
  trace: ['admin', 'commander', 'epidemiologist'],
  // 扫码记录导入: those who load the check-ins (checkins_write).
  checkinsImport: ['admin', 'epidemiologist'],
  // 场所核实: the trace permission reads the venues; editing them is venueEdit.
  venues: ['admin', 'commander', 'epidemiologist'],
}

export function canSee(page, role) {
  const roles = PAGE_ROLES[page]
  return !roles || roles.includes(role)
}

// Actions inside a page that not every role who sees the page may take (the command centre reads
// the task lists; those who go to the door or call record the check).
const ACTION_ROLES = {
  checkTask: ['admin', 'epidemiologist', 'grid_worker'],
  // 新建管控, 开始执行, 录入核酸结果, 延长, 解除, 升级, 转运, 撤销: those who run the measures; the
  // command centre reads.
  measureAct: ['admin', 'epidemiologist', 'grid_worker', 'site_manager'],
  // 记录随访 and 处置预警: the same people; the command centre reads.
  followupRecord: ['admin', 'epidemiologist', 'grid_worker', 'site_manager'],
  alertClose: ['admin', 'epidemiologist', 'grid_worker', 'site_manager'],
  // 举报线索 办结 (属实 with the reward / 不实): those who check leads (tasks_check).
  tipOffClose: ['admin', 'epidemiologist', 'grid_worker'],
  // 合并档案, 保持分开, 撤销合并, 标记为重复 and the 合并记录 of a person file (people_merge).
  peopleMerge: ['admin', 'epidemiologist', 'grid_worker'],
  // 流调批量录入 and every lead source but door_to_door (数据推送, 协查通报, …): leads_import.
  leadsBatch: ['admin', 'commander', 'epidemiologist'],
  // 新增病例, 流调报告, 密接追踪 (生成线索), 传播关系, 聚集性疫情: case writers (the auditor and the
  // grid workers read).
  caseWrite: ['admin', 'commander', 'epidemiologist'],
  // 场所核实 编辑 (name and type of a venue): checkins_write.
  venueEdit: ['admin', 'epidemiologist'],
  // 导出 (脱敏 at once, 完整名单 on request) and 导出审批 of the full-list requests.
  exportData: ['admin', 'commander', 'epidemiologist', 'grid_worker'],
  exportApprove: ['admin', 'commander'],
  // 申请销毁 (the retention permission); 批准并执行 / 驳回 follow the server's can_approve.
  purgeRequest: ['admin'],
}

export function canDo(action, role) {
  const roles = ACTION_ROLES[action]
  return !!roles && roles.includes(role)
}

// Where a role lands after signing in. A grid worker lands on the 排查任务 work list (the part
// of 今日任务 built so far); command roles land on the dashboard.
export function homeFor(role) {
  if (role === 'grid_worker') return { name: 'tasks' }
  if (role === 'auditor') return { name: 'audit' }
  return { name: 'dashboard' }
}
