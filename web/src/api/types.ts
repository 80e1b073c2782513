/** What the API answers, as far as the client reads it (the OpenAPI document at /openapi.json has it all). */

export interface Email {
  address: string;
  type: string;
  preferred?: boolean;
}
export interface Phone {
  number: string;
  type: string;
}
export interface Address {
  type: string;
  street?: string;
  postalCode?: string;
  city?: string;
  country?: string;
}

export interface Contact {
  salutation?: string;
  title?: string;
  givenName?: string;
  surname?: string;
  displayName?: string;
  company?: string;
  department?: string;
  jobTitle?: string;
  partnerId?: string;
  emails: Email[];
  phones: Phone[];
  addresses: Address[];
  groupwareSync?: boolean;
  photo?: { mediaType: string; hash?: string };
  ids: { crmId?: string; groupwareId?: string };
}

export type PlanKind = 'export' | 'import' | 'sync';
export type PlanStatus =
  | 'draft'
  | 'committing'
  | 'committed'
  | 'cancelled'
  | 'awaiting-confirmation'
  | 'undone'
  | 'failed';

export interface PlanHeader {
  id: string;
  kind: PlanKind;
  accountId: string;
  status: PlanStatus;
  options: Record<string, unknown>;
  summary: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface PlanView {
  plan: PlanHeader;
  counts: Record<string, number>;
  info?: string;
}

export type Verdict = 'sure' | 'possible' | 'none';

export interface Finding {
  verdict: 'sure' | 'possible';
  ruleId: string;
  reason: string;
  evidence: Record<string, string>;
  crmId: string;
  crmDisplayName?: string;
}

export interface PartnerAssignment {
  partner: { id: string; name: string };
  by: 'resolver' | 'user';
  resolverId?: string;
  reason: string;
}

export interface FieldConflict {
  field: string;
  baseline?: unknown;
  crm?: unknown;
  groupware?: unknown;
  resolvedTo: 'crm' | 'groupware';
}

export interface Problem {
  code: string;
  message: string;
  location?: Record<string, unknown>;
}

export interface PlanItem {
  seq: number;
  selected: boolean;
  crmId?: string;
  groupwareId?: string;
  crm?: Contact;
  groupware?: Contact;
  duplicate?: { verdict: Verdict; findings: Finding[] };
  partner?: PartnerAssignment;
  partnerCandidates?: PartnerAssignment[];
  action: string;
  reason: string;
  changes?: {
    toCrm?: Record<string, unknown>;
    toGroupware?: Record<string, unknown>;
    conflicts?: FieldConflict[];
  };
  outcome?: { state: 'done' | 'failed' | 'refused'; message?: string; problem?: Problem };
}

export interface PlanPage {
  items: PlanItem[];
  total: number;
  offset: number;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'interrupted';

export interface Job {
  id: string;
  planId: string;
  kind: string;
  state: JobState;
  progress?: { done: number; total: number };
  result?: Record<string, unknown>;
  error?: { code?: string; message?: string };
}

export interface BusinessPartner {
  id: string;
  name: string;
  emailDomains?: string[];
  address?: { city?: string; postalCode?: string; street?: string };
}

export interface Contribution {
  point: string;
  id: string;
  displayName?: string;
  description?: string;
  fileExtensions?: string[];
}

export interface ContactSyncStatus {
  crmId: string;
  synchronised: boolean;
  syncFlag?: boolean;
  groupwareId?: string;
  accountId: string;
}

export interface ConnectorOverview {
  crm: { id: string; health: { ok: boolean; detail: string } };
  groupware: { id: string; health: { ok: boolean; detail: string }; fallbackReason?: string };
}

/** One page of a plan's items, with the filters the API takes. */
export interface PageFilter {
  selected?: boolean;
  reason?: string;
  verdict?: Verdict;
  outcome?: 'done' | 'failed' | 'refused' | 'none';
  action?: string;
}
