import { errorSchema } from './api-schemas.js';

/**
 * Answers written as they are produced (listings, files, event streams, metrics): the route
 * never passes them through a serializer, so these schemas only tell clients what arrives.
 */

const problemList = { type: 'array', items: errorSchema } as const;
const contactList = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

/** A streamed listing ends with whether it is complete; a failure midway is its `error`. */
const listingEnd = {
  contactCount: { type: 'integer' },
  complete: { type: 'boolean' },
  error: errorSchema,
} as const;

export const crmContactListingSchema = {
  type: 'object',
  required: ['contacts', 'problems', 'contactCount', 'complete'],
  properties: { contacts: contactList, problems: problemList, ...listingEnd },
} as const;

export const importPreviewSchema = {
  type: 'object',
  required: ['fileName', 'importer', 'contacts', 'problems', 'contactCount', 'problemCount', 'complete'],
  properties: {
    fileName: { type: 'string' },
    importer: { type: 'string' },
    contacts: contactList,
    problems: problemList,
    problemCount: { type: 'integer' },
    ...listingEnd,
  },
} as const;

const exportReportSchema = {
  type: 'object',
  additionalProperties: true,
  required: ['written', 'problemCount', 'problems'],
  properties: {
    written: { type: 'integer' },
    problemCount: { type: 'integer' },
    problems: problemList,
    file: { type: 'object', additionalProperties: true },
  },
} as const;

/**
 * An export's answer: the file itself (its media type is the export option's; the counts
 * follow in the trailers `x-crmsync-written` and `x-crmsync-problems`), or the JSON report.
 */
export const exportAnswer = {
  description: 'The exported file, or with ?report=json (and for options that write elsewhere) the report',
  content: {
    'application/json': { schema: exportReportSchema },
    'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } },
  },
} as const;

/** A job's progress as Server-Sent Events: `progress` per change, `end` with the final state. */
export const jobEventsAnswer = {
  description: 'Server-Sent Events: one `progress` event per change, then an `end` event with the final job',
  content: { 'text/event-stream': { schema: { type: 'string' } } },
} as const;

export const metricsAnswer = {
  description: 'Prometheus text exposition format 0.0.4',
  content: { 'text/plain': { schema: { type: 'string' } } },
} as const;

/** A plan's file download: the file itself, or the plan's summary when it wrote none. */
export const downloadAnswer = {
  description: "The export file, or the plan's summary as JSON when the export produced no file",
  content: {
    'application/json': { schema: { type: 'object', additionalProperties: true } },
    'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } },
  },
} as const;

/**
 * Query parameters of the routes that read them themselves (a repeated one is a 400 naming
 * it as `?name`): described here, so that no schema check answers first in another shape.
 */
export const describedQuery = (descriptions: Record<string, string>) => ({
  type: 'object',
  properties: Object.fromEntries(
    Object.entries(descriptions).map(([name, description]) => [name, { description }]),
  ),
});

export const uploadQuerySchema = describedQuery({
  fileName: "The file's name, or send it in the x-file-name header",
  importer: 'The id of the importer that reads the file, to choose one yourself',
});

/**
 * The file routes read their bodies as streams, so these body schemas check nothing (they
 * accept any value): they tell clients what to send.
 */
const rawFile = {
  description: 'The contact file as it is (vCard, CSV, …); its name in ?fileName= or x-file-name',
} as const;

/**
 * An upload's body by its media type: the file as it is, or a form (as a browser's file
 * input sends it) whose one file part is the file, named by its own file name. A form is read
 * part by part as it arrives, so nothing parses it before the route: its value there is none.
 */
export const uploadedFileBody = {
  content: {
    ...Object.fromEntries(
      ['application/octet-stream', 'text/vcard', 'text/csv', 'text/plain'].map((type) => [
        type,
        { schema: rawFile },
      ]),
    ),
    'multipart/form-data': {
      schema: {
        type: ['object', 'null'],
        description:
          'A form with one file part, the contact file, named by its file name (?fileName= only when the part has none); other fields are passed over, a second file is refused',
        required: ['file'],
        properties: { file: { type: 'string', format: 'binary' } },
      },
    },
  },
};

export const exportBody = {
  description: '{ "contacts": [ … ] }, each contact as /api/v1/schemas/contact describes it',
} as const;

export const exportQuerySchema = describedQuery({
  report: '"json": answer the report instead of the file',
});
