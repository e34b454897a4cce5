import { createRouter, createWebHistory } from 'vue-router'
import { useSessionStore } from './stores/session.js'
import { canSee, homeFor } from './access.js'

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  // 入境/来返人员主动报备: for the public, no account and no app frame (a QR code points at /r).
  {
    path: '/report', alias: '/r', name: 'selfReport', component: () => import('./views/public/SelfReportView.vue'),
    meta: { public: true, open: true },
  },
  {
    path: '/',
    component: () => import('./layouts/MainLayout.vue'),
    children: [
      { path: '', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { page: 'dashboard', title: 'menu.dashboard', menu: 'dashboard', dark: true } },
      { path: 'people', name: 'people', component: () => import('./views/PeopleView.vue'), meta: { page: 'people', title: 'menu.people', menu: 'people' } },
      { path: 'people/:id', name: 'person', component: () => import('./views/PersonView.vue'), meta: { page: 'people', title: 'person.title', menu: 'people' } },
      { path: 'tasks', name: 'tasks', component: () => import('./views/leads/TasksView.vue'), meta: { page: 'tasks', title: 'tasks.title', menu: 'checkTasks' } },
      { path: 'leads/import', name: 'leadsImport', component: () => import('./views/leads/ImportView.vue'), meta: { page: 'leadsImport', title: 'leads.title', menu: 'import' } },
      { path: 'measures', name: 'measures', component: () => import('./views/measures/MeasuresView.vue'), meta: { page: 'measures', title: 'measures.title', menu: 'underMeasures' } },
      { path: 'measures/:id', name: 'measure', component: () => import('./views/measures/MeasureView.vue'), meta: { page: 'measures', title: 'measure.title', menu: 'underMeasures' } },
      { path: 'followups', name: 'followups', component: () => import('./views/followups/FollowupsView.vue'), meta: { page: 'followups', title: 'followups.title', menu: 'followUps' } },
      { path: 'alerts', name: 'alerts', component: () => import('./views/followups/AlertsView.vue'), meta: { page: 'alerts', title: 'alerts.title', menu: 'alerts' } },
      { path: 'notices', name: 'notices', component: () => import('./views/notices/NoticesView.vue'), meta: { page: 'notices', title: 'notices.title', menu: 'notices' } },
      // The print pages: ?kind=notice|public|seal|release&ids=1,2,3 (measure ids).
      { path: 'notices/print', name: 'noticePrint', component: () => import('./views/notices/PrintView.vue'), meta: { page: 'notices', title: 'notices.printTitle', menu: 'notices' } },
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
