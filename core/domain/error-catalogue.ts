/**
 * Every error code crmsync raises, with the HTTP status the host answers it with and what it
 * means. A code is added here before it is used anywhere: `CrmsyncError` accepts no other.
 */
export const errorCatalogue = {
  // ---- configuration and plugins --------------------------------------------------------
  CRMSYNC_ERR_CONFIG_INVALID: { status: 500, meaning: 'a configuration file breaks its schema' },
  CRMSYNC_ERR_CONFIG_MISSING: { status: 500, meaning: 'a required configuration file is missing' },
  CRMSYNC_ERR_CONFIG_ENV_MISSING: {
    status: 500,
    meaning: 'a configuration value refers to an unset environment variable',
  },
  CRMSYNC_ERR_LISTEN: { status: 500, meaning: 'a server could not listen on its address' },
  CRMSYNC_ERR_MANIFEST_INVALID: { status: 503, meaning: 'a plugin manifest breaks its schema' },
  CRMSYNC_ERR_MANIFEST_JSON: { status: 503, meaning: 'a plugin manifest is not JSON' },
  CRMSYNC_ERR_MAIN_OUTSIDE: { status: 503, meaning: "a plugin's main lies outside its folder" },
  CRMSYNC_ERR_ENGINE_MISMATCH: { status: 503, meaning: 'a plugin needs another crmsync version' },
  CRMSYNC_ERR_DUPLICATE_PLUGIN: { status: 503, meaning: 'two plugins share an id' },
  CRMSYNC_ERR_DEPENDENCY_MISSING: { status: 503, meaning: 'a plugin depends on one that is not installed' },
  CRMSYNC_ERR_DEPENDENCY_CYCLE: { status: 503, meaning: 'plugins depend on each other in a cycle' },
  CRMSYNC_ERR_DEPENDENCY_FAILED: { status: 503, meaning: 'a plugin depends on one that failed' },
  CRMSYNC_ERR_PLUGIN_LOAD: { status: 503, meaning: "a plugin's code could not be imported" },
  CRMSYNC_ERR_PLUGIN_ACTIVATE: { status: 503, meaning: "a plugin's activate failed" },
  CRMSYNC_ERR_PLUGIN_ACTIVATE_TIMEOUT: { status: 503, meaning: 'a plugin took too long to activate' },
  CRMSYNC_ERR_PLUGIN_FAILED: { status: 503, meaning: 'the plugin that provides this has failed' },
  CRMSYNC_ERR_PLUGIN_UNKNOWN: { status: 404, meaning: 'no plugin has this id' },
  CRMSYNC_ERR_CONTRIBUTION_UNKNOWN: { status: 404, meaning: 'no plugin contributes this' },
  CRMSYNC_ERR_CONTRIBUTION_DUPLICATE: { status: 503, meaning: 'two plugins contribute the same id' },
  CRMSYNC_ERR_CONTRIBUTION_UNBOUND: {
    status: 503,
    meaning: "a declared contribution is not bound by the plugin's code",
  },
  CRMSYNC_ERR_CONTRIBUTION_CREATE: {
    status: 503,
    meaning: 'a contribution could not be built (its configuration is wrong)',
  },
  CRMSYNC_ERR_CONTRIBUTION_FAILED: {
    status: 503,
    meaning: 'this contribution could not be built; its plugin serves the others',
  },
  CRMSYNC_ERR_SCHEMA_UNKNOWN: { status: 404, meaning: 'no JSON schema has this name' },
  CRMSYNC_ERR_NOT_IMPLEMENTED: { status: 501, meaning: 'the connector cannot do this' },
  CRMSYNC_ERR_INTERNAL: { status: 500, meaning: 'an unexpected error; the log has its details' },

  // ---- requests to the host -------------------------------------------------------------
  CRMSYNC_ERR_UNAUTHENTICATED: {
    status: 401,
    meaning: 'no valid sign-in: no session, token or API key, or one that is unknown, expired or revoked',
  },
  CRMSYNC_ERR_FORBIDDEN: {
    status: 403,
    meaning: 'not allowed: a wrong API key, or a route for administrators called by a user',
  },
  CRMSYNC_ERR_CSRF: {
    status: 403,
    meaning: "a write signed in by the session cookie lacks the session's x-csrf-token header",
  },
  CRMSYNC_ERR_RATE_LIMITED: {
    status: 429,
    meaning: 'too many sign-in attempts or writes; try again after Retry-After seconds',
  },
  CRMSYNC_ERR_FOREIGN_ORIGIN: {
    status: 403,
    meaning: 'a request from another site or for another host name',
  },
  CRMSYNC_ERR_NOT_FOUND: { status: 404, meaning: 'the record or route does not exist' },
  CRMSYNC_ERR_REQUEST_INVALID: { status: 400, meaning: 'the request is malformed' },
  CRMSYNC_ERR_UPLOAD_INVALID: { status: 400, meaning: 'the uploaded file cannot be read as asked' },
  CRMSYNC_ERR_EXPORT_INVALID: { status: 400, meaning: 'the export request is malformed' },
  CRMSYNC_ERR_CONTACT_INVALID: { status: 400, meaning: 'a contact in the request is malformed' },
  CRMSYNC_ERR_REQUEST_TIMEOUT: {
    status: 408,
    meaning: 'the request did not arrive within the documented time limit',
  },
  CRMSYNC_ERR_TOO_LARGE: { status: 413, meaning: 'the request is larger than the documented limit' },
  CRMSYNC_ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    meaning: 'the route does not read a body of this content type',
  },
  CRMSYNC_ERR_TOO_BUSY: { status: 429, meaning: 'too many heavy requests at once; try again shortly' },
  CRMSYNC_ERR_UNSUPPORTED_QUERY: { status: 400, meaning: 'the connector cannot search by this criterion' },

  // ---- plans and commits ----------------------------------------------------------------
  CRMSYNC_ERR_PLAN_STATE: { status: 409, meaning: 'the plan is not in a state that allows this' },
  CRMSYNC_ERR_ACCOUNT_BUSY: {
    status: 409,
    meaning: 'another run is writing to this groupware account; try again when it has finished',
  },
  CRMSYNC_ERR_COMMIT_STOPPED: {
    status: 503,
    meaning:
      'the commit was asked to stop (its worker shuts down) and stopped between writes; committing again resumes it',
  },
  CRMSYNC_ERR_JOB_INTERRUPTED: {
    status: 409,
    meaning:
      'the process running the job stopped before it ended: a commit is finished by committing again, a plan being built is made anew',
  },
  CRMSYNC_ERR_WORKER_STOPPED: {
    status: 503,
    meaning: 'the worker running the job stopped (it died or shut down); another worker resumes it',
  },
  CRMSYNC_ERR_ACCOUNT_UNKNOWN: {
    status: 404,
    meaning: 'no groupware account has this id; GET /api/v1/groupware/accounts lists them',
  },
  CRMSYNC_ERR_SURE_DUPLICATE: {
    status: 409,
    meaning: 'a sure duplicate of a CRM contact cannot be imported',
  },
  CRMSYNC_ERR_NO_PARTNER: { status: 422, meaning: 'a contact cannot be imported without a business partner' },
  CRMSYNC_ERR_PHOTO_MISSING: { status: 500, meaning: "a planned contact's photo is no longer stored" },

  // ---- contact stores -------------------------------------------------------------------
  CRMSYNC_ERR_STALE_VERSION: { status: 412, meaning: 'the record changed since it was read' },
  CRMSYNC_ERR_NO_VERSION: { status: 428, meaning: 'a write must say which version it is based on' },
  CRMSYNC_ERR_CURSOR_EXPIRED: {
    status: 410,
    meaning: 'the change cursor is no longer valid; a full resync is needed',
  },
  CRMSYNC_ERR_CURSOR_INVALID: { status: 400, meaning: 'the change cursor is not one this store gave out' },
  CRMSYNC_ERR_GROUPWARE_UNAVAILABLE: { status: 503, meaning: 'no groupware connector is available' },
  CRMSYNC_ERR_PHOTO_NO_BYTES: { status: 400, meaning: 'a photo given only by reference cannot be uploaded' },

  // ---- the CRM over REST ----------------------------------------------------------------
  CRMSYNC_ERR_PROFILE_INVALID: { status: 500, meaning: 'the CRM mapping profile is wrong' },
  CRMSYNC_ERR_PROFILE_MISSING: { status: 500, meaning: 'the CRM mapping profile file is missing' },
  CRMSYNC_ERR_CRM_UNREACHABLE: { status: 502, meaning: 'the CRM does not answer' },
  CRMSYNC_ERR_CRM_THROTTLED: { status: 429, meaning: 'the CRM asks to slow down' },
  CRMSYNC_ERR_CRM_AUTH: { status: 502, meaning: "the CRM refused crmsync's credentials" },
  CRMSYNC_ERR_CRM_HTTP: { status: 502, meaning: 'the CRM answered with an error' },
  CRMSYNC_ERR_CRM_REJECTED: { status: 422, meaning: 'the CRM refused the record' },
  CRMSYNC_ERR_CRM_REDIRECT: {
    status: 502,
    meaning: 'the CRM answered with a redirect, which crmsync does not follow',
  },
  CRMSYNC_ERR_CRM_RESPONSE: { status: 502, meaning: 'the CRM answered with something unexpected' },
  CRMSYNC_ERR_CRM_RECORD: { status: 422, meaning: 'a CRM record cannot be mapped' },
  CRMSYNC_ERR_CRM_NOT_FOUND: { status: 404, meaning: 'the CRM has no such record' },
  CRMSYNC_ERR_CRM_NO_ID: { status: 400, meaning: 'a contact without CRM id cannot be written there' },
  CRMSYNC_ERR_CRM_DATA_INVALID: {
    status: 500,
    meaning: "the reference CRM's data file (CRM_DATA) cannot be read or breaks its format",
  },

  // ---- vCard ----------------------------------------------------------------------------
  CRMSYNC_ERR_VCARD_EMPTY: { status: 400, meaning: 'a file holds no vCard' },
  CRMSYNC_ERR_VCARD_TRUNCATED: { status: 400, meaning: 'a card is cut off' },
  CRMSYNC_ERR_VCARD_OUTSIDE_CARD: { status: 400, meaning: 'lines stand outside any card' },
  CRMSYNC_ERR_VCARD_NESTED: { status: 400, meaning: 'cards are nested deeper than allowed' },
  CRMSYNC_ERR_VCARD_TOO_LARGE: { status: 413, meaning: 'a card is larger than the limit' },
  CRMSYNC_ERR_VCARD_BAD_PHOTO: { status: 400, meaning: "a card's photo cannot be read" },
  CRMSYNC_ERR_VCARD_PHOTO_TOO_LARGE: { status: 413, meaning: "a card's photo is larger than the limit" },
  CRMSYNC_ERR_VCARD_UNREADABLE: { status: 400, meaning: 'a card cannot be read' },
  CRMSYNC_ERR_VCARD_FILE: { status: 500, meaning: 'a file of the vCard folder cannot be read' },
  CRMSYNC_ERR_VCARD_ID: { status: 400, meaning: 'not a contact id of the vCard folder' },
  CRMSYNC_ERR_VCARD_WRITE: { status: 400, meaning: 'a contact cannot be written as a vCard' },
  CRMSYNC_ERR_VCARD_CONTROL_CHARACTERS: {
    status: 400,
    meaning: 'a value held control characters, which were left out of the card',
  },
  CRMSYNC_ERR_VCARD_NOT_WRITABLE: { status: 409, meaning: 'a card cannot be written back where it is' },
  CRMSYNC_ERR_FOLDER_MISSING: { status: 503, meaning: 'the vCard folder is missing or not mounted' },
  // ---- the state store ------------------------------------------------------------------
  CRMSYNC_ERR_STORE_UNAVAILABLE: {
    status: 503,
    meaning: 'the state store cannot be opened or read (missing, unreadable or not a database)',
  },
  CRMSYNC_ERR_STORE_BUSY: {
    status: 503,
    meaning: 'the state store stayed locked by another process; try again shortly',
  },
  CRMSYNC_ERR_STORE_NEWER_SCHEMA: {
    status: 503,
    meaning: 'the state store was written by a newer crmsync; this version cannot use it',
  },
  CRMSYNC_ERR_STORE_MISUSE: {
    status: 500,
    meaning: 'the state store was called outside the transaction in progress, or a transaction was nested',
  },
  CRMSYNC_ERR_LINK_CONFLICT: {
    status: 409,
    meaning: 'the groupware contact is already linked to another CRM contact in this account',
  },
  CRMSYNC_ERR_USER_EXISTS: { status: 409, meaning: 'a user with this login exists' },
  CRMSYNC_ERR_ADMIN_REQUIRED: {
    status: 409,
    meaning: 'the first user must be an administrator, and the last one cannot be removed or demoted',
  },
  CRMSYNC_ERR_PLAN_EXISTS: { status: 409, meaning: 'a plan with this id already exists' },
  CRMSYNC_ERR_PLAN_ITEM_DUPLICATE: { status: 409, meaning: 'the plan already has an item at this position' },
  CRMSYNC_ERR_JOURNAL_DUPLICATE: {
    status: 409,
    meaning: 'a write was already intended under this idempotency key',
  },

  // ---- Outlook through Microsoft Graph --------------------------------------------------
  CRMSYNC_ERR_OUTLOOK_NOT_CONFIGURED: {
    status: 503,
    meaning: 'the Outlook connector lacks its tenant, app or mailbox settings',
  },
  CRMSYNC_ERR_OUTLOOK_UNREACHABLE: { status: 502, meaning: 'Microsoft Graph does not answer' },
  CRMSYNC_ERR_OUTLOOK_AUTH: { status: 502, meaning: "Microsoft Graph refused crmsync's app credentials" },
  CRMSYNC_ERR_OUTLOOK_THROTTLED: {
    status: 429,
    meaning: 'Outlook kept asking crmsync to slow down; the write may be tried again later',
  },
  CRMSYNC_ERR_OUTLOOK_HTTP: { status: 502, meaning: 'Microsoft Graph answered with an error' },
  CRMSYNC_ERR_OUTLOOK_REJECTED: { status: 422, meaning: 'Outlook refused the contact' },
  CRMSYNC_ERR_OUTLOOK_MAILBOX: {
    status: 404,
    meaning: 'the mailbox does not exist or the app may not use it',
  },
  CRMSYNC_ERR_OUTLOOK_PHOTO_TOO_LARGE: {
    status: 413,
    meaning: 'the photo is larger than Outlook takes (4 MB)',
  },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCatalogue, code);
}

/** The HTTP status for a code; an unknown code is an internal error. */
export function statusOf(code: string): number {
  return isErrorCode(code) ? errorCatalogue[code].status : 500;
}
