// The information architecture of shared/ui.md. Entries with a `route` are live; the rest are
// shown disabled ("建设中") until their capability is built. No placeholder pages.
import {
  DataBoard, Warning, Lock, OfficeBuilding, Aim, FirstAidKit, Medal, Box, Flag, Setting,
} from '@element-plus/icons-vue'

export const MENU = [
  { key: 'dashboard', icon: DataBoard, route: 'dashboard' },
  {
    key: 'risk', icon: Warning,
    children: [
      { key: 'leads', route: 'leadsEntry' },
      { key: 'checkTasks', route: 'tasks' },
      { key: 'people', route: 'people' },
      { key: 'duplicates', route: 'duplicates' },
      { key: 'import', route: 'leadsImport' },
      { key: 'tipOffs', route: 'tipOffs' },
    ],
  },
  {
    key: 'measures', icon: Lock,
    children: [
      { key: 'underMeasures', route: 'measures' },
      { key: 'homeQuarantine', route: 'homeQuarantine' },
      { key: 'followUps', route: 'followups' },
      { key: 'notices', route: 'notices' },
      { key: 'alerts', route: 'alerts' },
      { key: 'homeServices', route: 'homeServices' },
    ],
  },
  {
    key: 'central', icon: OfficeBuilding,
    children: [{ key: 'sites' }, { key: 'rooms' }, { key: 'allocation' }, { key: 'transfer' }, { key: 'siteStaff' }],
  },
  {
    key: 'tracing', icon: Aim,
    children: [
      { key: 'cases', route: 'cases' },
      { key: 'reports' },
      { key: 'contacts', route: 'trace' },
      { key: 'checkinsImport', route: 'checkinsImport' },
      { key: 'venues', route: 'venues' },
      { key: 'chains', route: 'clusters' },
      { key: 'epicurve', route: 'epicurve' },
      { key: 'clock', route: 'clock' },
    ],
  },
  {
    key: 'testing', icon: FirstAidKit,
    children: [{ key: 'campaigns' }, { key: 'samplingPoints' }, { key: 'sampling' }, { key: 'results' }, { key: 'testCoverage' }],
  },
  {
    key: 'vaccination', icon: Medal,
    children: [{ key: 'vaccinations' }, { key: 'vaccCoverage' }, { key: 'unvaccinated' }],
  },
  {
    key: 'supplies', icon: Box,
    children: [{ key: 'stock' }, { key: 'movements' }, { key: 'reserveDays' }, { key: 'donations' }],
  },
  {
    key: 'command', icon: Flag,
    children: [
      { key: 'daily' }, { key: 'supervise' }, { key: 'duty' }, { key: 'org' }, { key: 'mode' },
      { key: 'riskAreas' }, { key: 'inspections' }, { key: 'drills' }, { key: 'petitions' },
    ],
  },
  {
    key: 'system', icon: Setting,
    children: [{ key: 'users' }, { key: 'regions' }, { key: 'profiles' }, { key: 'exports', route: 'exports' }, { key: 'retention', route: 'retention' }, { key: 'purges', route: 'purges' }, { key: 'audit', route: 'audit' }],
  },
]
