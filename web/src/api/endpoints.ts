import { withAccount } from './account';
import { failureOf, followJob } from './follow-job';
import { api, query, type RequestOptions, send } from './http';
import type {
  BusinessPartner,
  ConnectorOverview,
  Contact,
  ContactSyncStatus,
  Contribution,
  Job,
  PageFilter,
  PlanHeader,
  PlanItem,
  PlanPage,
  PlanView,
} from './types';

/** Every route the client uses, one function each; the paths are the API's, unchanged. */

export const contributions = () => api<Contribution[]>('GET', '/contributions');
export const connectors = () => api<ConnectorOverview>('GET', '/connectors');

export interface ExportCriteria {
  name?: string;
  partnerId?: string;
  city?: string;
  email?: string;
  phone?: string;
  groupwareSync?: boolean;
}

/** Contacts read and classified so far while a plan is built; `undefined` until the first count. */
export type BuildProgress = (progress: Job['progress']) => void;

/**
 * Opens a plan. A plan the host builds within its wait is answered at once (201); a larger one
 * is answered 202 while still building, with its job: the job is followed to its end, its
 * counts handed to `onProgress`, and the plan read once built.
 */
async function openPlan(
  path: string,
  options: RequestOptions,
  onProgress?: BuildProgress,
): Promise<PlanView> {
  const response = await send('POST', path, options);
  const answer = (await response.json()) as PlanView & { job?: Job };
  if (response.status !== 202 || !answer.job) return answer;
  onProgress?.(answer.job.progress);
  const ended = await followJob(answer.job.id, (job) => onProgress?.(job.progress));
  if (ended.state !== 'done') throw failureOf(ended);
  return planView(answer.plan.id);
}

export const createExportPlan = (criteria: ExportCriteria, onProgress?: BuildProgress) =>
  openPlan('/export-plans', { body: { criteria, ...withAccount() } }, onProgress);
export const createImportPlan = (onProgress?: BuildProgress) =>
  openPlan('/import-plans', { body: { source: 'groupware', ...withAccount() } }, onProgress);
export const uploadImportPlan = (file: File, onProgress?: BuildProgress) =>
  openPlan(
    `/import-plans/upload${query({ fileName: file.name })}`,
    { raw: { body: file, contentType: 'application/octet-stream' } },
    onProgress,
  );

export const planView = (planId: string) => api<PlanView>('GET', `/plans/${planId}`);
export const planPage = (planId: string, offset: number, limit: number, filter: PageFilter = {}) =>
  api<PlanPage>('GET', `/plans/${planId}/items${query({ offset, limit, ...filter })}`);
export const selectItems = (planId: string, items: number[] | 'all', selected: boolean) =>
  api<PlanView>('POST', `/plans/${planId}/selection`, { body: { items, selected } });
export const cancelPlan = (planId: string) => api<PlanView>('POST', `/plans/${planId}/cancel`);
export const chooseExportOption = (planId: string, exportOption: string) =>
  api<PlanView & { delivery: 'download' | 'commit' }>('PUT', `/plans/${planId}/export-option`, {
    body: { exportOption },
  });
export const commitPlan = (planId: string) => api<Job>('POST', `/plans/${planId}/commit`);
export const downloadPlan = (planId: string) => send('POST', `/plans/${planId}/download`);
export const assignPartner = (planId: string, seq: number, partnerId: string) =>
  api<PlanItem>('PUT', `/plans/${planId}/items/${seq}/partner`, { body: { partnerId } });

export const searchPartners = (criteria: { name?: string; domain?: string; city?: string }) =>
  api<{ partners: BusinessPartner[]; complete: boolean }>('GET', `/crm/partners${query(criteria)}`);

export interface ContactCriteria {
  name?: string;
  city?: string;
  email?: string;
  phone?: string;
  partnerId?: string;
}
export const searchContacts = (criteria: ContactCriteria, signal?: AbortSignal) =>
  api<{ contacts: Contact[]; contactCount: number; complete: boolean }>(
    'GET',
    `/crm/contacts${query({ ...criteria })}`,
    signal ? { signal } : {},
  );
export const crmContact = (crmId: string) =>
  api<Contact>('GET', `/crm/contacts/${encodeURIComponent(crmId)}`);
const contactSyncPath = (crmId: string) =>
  `/crm/contacts/${encodeURIComponent(crmId)}/sync${query({ ...withAccount() })}`;
export const contactSync = (crmId: string) => api<ContactSyncStatus>('GET', contactSyncPath(crmId));
export const addToGroupware = (crmId: string) => api<ContactSyncStatus>('PUT', contactSyncPath(crmId));
export const removeFromGroupware = (crmId: string) =>
  api<ContactSyncStatus>('DELETE', contactSyncPath(crmId));

export const syncRuns = (limit = 20) =>
  api<{ runs: PlanHeader[] }>('GET', `/sync-runs${query({ limit, ...withAccount() })}`);
export const startSyncRun = (dryRun: boolean) =>
  api<PlanView & { job?: Job }>('POST', '/sync-runs', { body: { dryRun, ...withAccount() } });
export const syncRun = (planId: string) => api<PlanView>('GET', `/sync-runs/${planId}`);
export const syncRunItems = (planId: string, offset: number, limit: number, filter: PageFilter = {}) =>
  api<PlanPage>('GET', `/sync-runs/${planId}/items${query({ offset, limit, ...filter })}`);
export const syncConflicts = (planId: string, offset: number, limit: number) =>
  api<PlanPage>('GET', `/sync-runs/${planId}/conflicts${query({ offset, limit })}`);
/** Why one contact was (not) synced by a run; undefined when the run did not touch it. */
export async function whySynced(planId: string, crmId: string): Promise<PlanItem | undefined> {
  const response = await send('GET', `/sync-runs/${planId}/contacts/${encodeURIComponent(crmId)}`, {
    expected: [404],
  });
  return response.status === 404 ? undefined : ((await response.json()) as PlanItem);
}
export const commitSyncRun = (planId: string) => api<Job>('POST', `/sync-runs/${planId}/commit`);
export const confirmSyncRun = (planId: string) => api<Job>('POST', `/sync-runs/${planId}/confirm`);
export const rejectSyncRun = (planId: string) => api<PlanView>('POST', `/sync-runs/${planId}/reject`);
export const undoSyncRun = (planId: string) =>
  api<{ restored: number; changedSince: unknown[]; failed: unknown[] }>('POST', `/sync-runs/${planId}/undo`);
