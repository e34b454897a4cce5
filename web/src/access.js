// Which roles see which live pages. The server enforces access; this only shapes the menu.
export const ROLES = ['admin', 'commander', 'epidemiologist', 'site_manager', 'grid_worker',
  'testing', 'logistics', 'inspector', 'auditor']

const PAGE_ROLES = {
  dashboard: ROLES,
  people: ['admin', 'commander', 'epidemiologist', 'site_manager', 'grid_worker', 'testing', 'inspector'],
  audit: ['admin', 'auditor'],
}

export function canSee(page, role) {
  const roles = PAGE_ROLES[page]
  return !roles || roles.includes(role)
}

// Where a role lands after signing in. A grid worker's 今日任务 is not built yet, so the
// person files are their working page; command roles land on the dashboard.
export function homeFor(role) {
  if (role === 'grid_worker') return { name: 'people' }
  if (role === 'auditor') return { name: 'audit' }
  return { name: 'dashboard' }
}
