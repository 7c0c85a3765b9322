export type {
  DashboardCallResult,
  DashboardEndpoint,
  DashboardInstanceInput,
  DashboardReauthorizeInput,
  DashboardRuntime,
} from './DashboardRuntime.js';
export { type Dashboard, type DashboardOptions, startDashboard } from './startDashboard.js';
