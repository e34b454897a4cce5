import { createRouter, createWebHistory } from 'vue-router'
import { useSessionStore } from './stores/session.js'
import { canSee, homeFor } from './access.js'

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  // 系统初始化 (security.md D6): the first administrator, with the one-time bootstrap token; no
  // session needed (there is no account yet), so it skips the session check entirely.
  {
    path: '/bootstrap', name: 'bootstrap', component: () => import('./views/bootstrap/BootstrapView.vue'),
    meta: { public: true, open: true },
  },
  // 入境/来返人员主动报备: for the public, no account and no app frame (a QR code points at /r).
  {
    path: '/report', alias: '/r', name: 'selfReport', component: () => import('./views/public/SelfReportView.vue'),
    meta: { public: true, open: true },
  },
  // 自我健康申报: the person under a measure, by the personal link /self#<token> (the token stays
  // in the fragment: never in a path or a query, so no server or log sees it).
  // 有奖举报: anyone may send a tip-off (no account, no app frame); the answer is a receipt number.
  {
    path: '/tipoff', name: 'tipOff', component: () => import('./views/services/TipOffView.vue'),
    meta: { public: true, open: true },
  },
  {
    path: '/self', name: 'selfFollowup', component: () => import('./views/public/SelfFollowupView.vue'),
    meta: { public: true, open: true },
  },
  {
    path: '/',
    component: () => import('./layouts/MainLayout.vue'),
    children: [
      { path: '', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { page: 'dashboard', title: 'menu.dashboard', menu: 'dashboard', dark: true } },
      { path: 'people', name: 'people', component: () => import('./views/PeopleView.vue'), meta: { page: 'people', title: 'menu.people', menu: 'people' } },
      { path: 'people/:id', name: 'person', component: () => import('./views/PersonView.vue'), meta: { page: 'people', title: 'person.title', menu: 'people' } },
      { path: 'duplicates', name: 'duplicates', component: () => import('./views/duplicates/DuplicatesView.vue'), meta: { page: 'duplicates', title: 'duplicates.title', menu: 'duplicates' } },
      { path: 'duplicates/:id', name: 'duplicate', component: () => import('./views/duplicates/DuplicateView.vue'), meta: { page: 'duplicates', title: 'duplicate.title', menu: 'duplicates' } },
      { path: 'tasks', name: 'tasks', component: () => import('./views/leads/TasksView.vue'), meta: { page: 'tasks', title: 'tasks.title', menu: 'checkTasks' } },
      { path: 'leads/import', name: 'leadsImport', component: () => import('./views/leads/ImportView.vue'), meta: { page: 'leadsImport', title: 'leads.title', menu: 'import' } },
      // 线索登记: ?mode=listing opens the 流调批量录入 line listing (leadsBatch roles).
      { path: 'leads/entry', name: 'leadsEntry', component: () => import('./views/leads/EntryView.vue'), meta: { page: 'leadsEntry', title: 'leadsEntry.title', menu: 'leads' } },
      { path: 'measures', name: 'measures', component: () => import('./views/measures/MeasuresView.vue'), meta: { page: 'measures', title: 'measures.title', menu: 'underMeasures' } },
      { path: 'measures/:id', name: 'measure', component: () => import('./views/measures/MeasureView.vue'), meta: { page: 'measures', title: 'measure.title', menu: 'underMeasures' } },
      // 居家隔离户: the households under home quarantine and their 四包一.
      { path: 'home-quarantine', name: 'homeQuarantine', component: () => import('./views/homes/HomesView.vue'), meta: { page: 'homeQuarantine', title: 'homes.title', menu: 'homeQuarantine' } },
      { path: 'followups', name: 'followups', component: () => import('./views/followups/FollowupsView.vue'), meta: { page: 'followups', title: 'followups.title', menu: 'followUps' } },
      { path: 'alerts', name: 'alerts', component: () => import('./views/followups/AlertsView.vue'), meta: { page: 'alerts', title: 'alerts.title', menu: 'alerts' } },
      // 居家服务 (代购, 垃圾清运): ?kind=shopping|rubbish&status=open|done|all.
      { path: 'services', name: 'homeServices', component: () => import('./views/services/HomeServicesView.vue'), meta: { page: 'homeServices', title: 'services.title', menu: 'homeServices' } },
      // 举报线索: the public's tip-offs (/tipoff) in the user's jurisdiction.
      { path: 'tip-offs', name: 'tipOffs', component: () => import('./views/services/TipOffsView.vue'), meta: { page: 'tipOffs', title: 'tipOffs.title', menu: 'tipOffs' } },
      { path: 'notices', name: 'notices', component: () => import('./views/notices/NoticesView.vue'), meta: { page: 'notices', title: 'notices.title', menu: 'notices' } },
      // The print pages: ?kind=notice|public|seal|release&ids=1,2,3 (measure ids).
      { path: 'notices/print', name: 'noticePrint', component: () => import('./views/notices/PrintView.vue'), meta: { page: 'notices', title: 'notices.printTitle', menu: 'notices' } },
      // 流调溯源: 病例 (?classification=&region=&cluster=&late=1), the case with its 流调报告, the
      // 传播链 of a cluster (?layout=network|hierarchy|timeline), the 流行曲线 and the 时效.
      { path: 'cases', name: 'cases', component: () => import('./views/cases/CasesView.vue'), meta: { page: 'cases', title: 'menu.cases', menu: 'cases' } },
      { path: 'cases/:id', name: 'case', component: () => import('./views/cases/CaseView.vue'), meta: { page: 'cases', title: 'caseDetail.title', menu: 'cases' } },
      { path: 'clusters', name: 'clusters', component: () => import('./views/clusters/ClustersView.vue'), meta: { page: 'clusters', title: 'menu.chains', menu: 'chains' } },
      { path: 'clusters/:id', name: 'cluster', component: () => import('./views/clusters/ClusterView.vue'), meta: { page: 'clusters', title: 'clusterGraph.title', menu: 'chains' } },
      { path: 'epicurve', name: 'epicurve', component: () => import('./views/epicurve/EpicurveView.vue'), meta: { page: 'epicurve', title: 'menu.epicurve', menu: 'epicurve' } },
      // 密接/次密接查询 by ID number (the number travels in the POST body only, never in the URL).
      { path: 'trace', name: 'trace', component: () => import('./views/trace/ContactsSearchView.vue'), meta: { page: 'trace', title: 'menu.contacts', menu: 'contacts' } },
      // 扫码记录导入: a CSV of check-ins.
      { path: 'checkins/import', name: 'checkinsImport', component: () => import('./views/trace/CheckinsImportView.vue'), meta: { page: 'checkinsImport', title: 'menu.checkinsImport', menu: 'checkinsImport' } },
      // 场所核实: venues registered from check-ins, their names and types (?all=1 for every venue).
      { path: 'venues', name: 'venues', component: () => import('./views/trace/VenuesView.vue'), meta: { page: 'venues', title: 'menu.venues', menu: 'venues' } },
      { path: 'clock', name: 'clock', component: () => import('./views/cases/ClockView.vue'), meta: { page: 'clock', title: 'menu.clock', menu: 'clock' } },
      // 导出管理: my exports (?tab=approvals: the full-list requests awaiting command's approval).
      { path: 'exports', name: 'exports', component: () => import('./views/exports/ExportsView.vue'), meta: { page: 'exports', title: 'menu.exports', menu: 'exports' } },
      // 数据保留: the retention periods, the deletion job's runs and 立即执行 (admin only).
      { path: 'retention', name: 'retention', component: () => import('./views/retention/RetentionView.vue'), meta: { page: 'retention', title: 'menu.retention', menu: 'retention' } },
      // 数据销毁 (F3): the person-level data now, the requests (申请销毁, 批准并执行, 驳回), and the
      // signed 数据销毁证明 of a done purge as a printable page.
      { path: 'purges', name: 'purges', component: () => import('./views/purges/PurgesView.vue'), meta: { page: 'purges', title: 'menu.purges', menu: 'purges' } },
      { path: 'purges/:id/certificate', name: 'purgeCertificate', component: () => import('./views/purges/PurgeCertificateView.vue'), meta: { page: 'purges', title: 'purges.cert.title', menu: 'purges' } },
      { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { page: 'audit', title: 'menu.audit', menu: 'audit' } },
    ],
  },
  // Unknown paths inside the app: back to the user's home page.
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: (to, from, saved) => saved || { top: 0 },
})

router.beforeEach(async (to) => {
  // Open pages (the public self-report form) need no session and do not ask for one.
  if (to.meta.open) return true
  const session = useSessionStore()
  if (!session.checked) await session.load()
  if (to.meta.public) {
    if (to.name === 'login' && session.user) return homeFor(session.user.role)
    return true
  }
  if (!session.user) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (to.meta.page && !canSee(to.meta.page, session.user.role)) {
    const home = homeFor(session.user.role)
    if (home.name !== to.name) return home
  }
  return true
})
