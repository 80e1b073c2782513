import type { Contact, RecordProblem } from '../../../../core/index.js';

/** A contact that could not be written, reported while the rest of the export goes on. */
export function writeProblem(contact: Contact, position: number, error: unknown): RecordProblem {
  const location: RecordProblem['location'] = { card: position };
  const recordId = contact.ids.crmId ?? contact.ids.groupwareId;
  if (recordId) location.recordId = recordId;
  return {
    code: 'CRMSYNC_ERR_VCARD_WRITE',
    message: `the contact could not be written as a vCard: ${(error as Error).message}`,
    location,
  };
}
