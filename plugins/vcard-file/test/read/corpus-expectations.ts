import { expect } from 'chai';
import type { Contact, Fetched, RecordProblem } from '../../../../core/index.js';

/**
 * What the source test suites assert about the real-world vCard corpus
 * (`fixtures/vcard/real/EXPECTED.md`), as data. Every stated value has an assertion here.
 * Where crmsync deliberately reads a file differently from the suite that owns it (a
 * strict validator's rejection, or a detail the contact model has no field for), the entry
 * says so in `difference`, with the reason.
 */
export interface CardExpectation {
  /** Display name (FN); null when the card has no FN. */
  fn?: string | null;
  tel?: number;
  email?: number;
  check?: (contact: Contact) => void;
}

export interface ProblemExpectation {
  code: string;
  includes?: string;
  card?: number;
}

export interface FileExpectation {
  file: string;
  /** Exact number of contacts read. */
  contacts?: number;
  /** Card by card, in the order the reader yields them. */
  cards?: CardExpectation[];
  /** Exact list of problems; absent means none. */
  problems?: ProblemExpectation[];
  check?: (contacts: Contact[]) => void;
  /** A deliberate difference from the source suite's expectation, and why. */
  difference?: string;
}

function unknownLines(contact: Contact): string[] {
  const vcard = contact.extensions?.vcard as { unknown?: string[] } | undefined;
  return vcard?.unknown ?? [];
}

/** The name fields of a card, exactly as its N and FN lines give them. */
interface NameFields {
  displayName?: string;
  surname?: string;
  givenName?: string;
  middleName?: string;
  salutation?: string;
  suffix?: string;
}

function nameFields(contact: Contact | undefined): NameFields {
  const fields: NameFields = {};
  for (const key of ['displayName', 'surname', 'givenName', 'middleName', 'salutation', 'suffix'] as const) {
    const value = contact?.[key];
    if (value !== undefined) fields[key] = value;
  }
  return fields;
}

/** `N:Doe;John;;Mr;` and `FN:John Doe`, the name most of the l0b0 files carry. */
const johnDoe: NameFields = { displayName: 'John Doe', surname: 'Doe', givenName: 'John', salutation: 'Mr' };

const l0b0Accepted = (reason: string, names: NameFields = johnDoe): Omit<FileExpectation, 'file'> => ({
  contacts: 1,
  check: ([contact]) => expect(nameFields(contact)).to.deep.equal(names),
  difference: `l0b0 is a strict RFC 2426 validator and rejects this file (${reason}); crmsync is a tolerant importer and reads the card.`,
});

const l0b0Rejected = (code: string, includes: string): Omit<FileExpectation, 'file'> => ({
  contacts: 0,
  problems: [{ code, includes }],
});

export const expectations: FileExpectation[] = [
  // ez-vcard SampleVCardsTest: exact card, TEL and EMAIL counts.
  {
    file: 'ezvcard__John_Doe_ANDROID.vcf',
    cards: [
      { fn: null, tel: 0, email: 1 },
      { fn: null, tel: 0, email: 1 },
      { fn: 'Ñ Ñ Ñ Ñ Ñ ', tel: 1, email: 0 },
      { fn: 'Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ', tel: 4, email: 0 },
      { fn: 'Ñ Ñ Ñ Ñ ', tel: 3, email: 2 },
      { fn: 'ÑÑÑÑ', tel: 1, email: 1 },
    ],
  },
  { file: 'ezvcard__John_Doe_BLACK_BERRY.vcf', cards: [{ fn: 'John Doe', tel: 1, email: 0 }] },
  {
    file: 'ezvcard__John_Doe_EVOLUTION.vcf',
    cards: [{ fn: 'Mr. John Richter, James Doe Sr.', tel: 2, email: 1 }],
  },
  {
    file: 'ezvcard__John_Doe_GMAIL.vcf',
    cards: [{ fn: 'Mr. John Richter, James Doe Sr.', tel: 2, email: 1 }],
  },
  {
    file: 'ezvcard__John_Doe_IPHONE.vcf',
    cards: [{ fn: 'Mr. John Richter James Doe Sr.', tel: 7, email: 1 }],
  },
  { file: 'ezvcard__John_Doe_LOTUS_NOTES.vcf', cards: [{ fn: 'Mr. Doe John I Johny', tel: 2, email: 2 }] },
  {
    file: 'ezvcard__John_Doe_MAC_ADDRESS_BOOK.vcf',
    cards: [{ fn: 'Mr. John Richter,James Doe Sr.', tel: 7, email: 1 }],
  },
  {
    file: 'ezvcard__John_Doe_MS_OUTLOOK.vcf',
    cards: [{ fn: 'Mr. John Richter James Doe Sr.', tel: 2, email: 1 }],
  },
  {
    file: 'ezvcard__fullcontact.vcf',
    cards: [{ fn: 'Prefix FirstName MiddleName LastName Suffix', tel: 9, email: 5 }],
  },
  {
    file: 'ezvcard__gmail-list.vcf',
    cards: [
      { fn: 'Arnold Smith', tel: 0, email: 1 },
      { fn: 'Chris Beatle', tel: 0, email: 1 },
      { fn: 'Doug White', tel: 0, email: 1 },
    ],
  },
  { file: 'ezvcard__gmail-single.vcf', cards: [{ fn: 'Greg Dartmouth', tel: 2, email: 1 }] },
  { file: 'ezvcard__gmail-single2.vcf', cards: [{ fn: 'VCard Test', tel: 11, email: 5 }] },
  { file: 'ezvcard__outlook-2003.vcf', cards: [{ fn: 'John Doe III', tel: 4, email: 1 }] },
  // The X-MS-TEL line is not a TEL.
  { file: 'ezvcard__outlook-2007.vcf', cards: [{ fn: 'Mr. Michael Angstadt Jr.', tel: 4, email: 1 }] },
  {
    file: 'ezvcard__rfc2426-example.vcf',
    cards: [
      { fn: 'Frank Dawson', tel: 2, email: 2 },
      { fn: 'Tim Howes', tel: 2, email: 1 },
    ],
  },
  { file: 'ezvcard__rfc6350-example.vcf', cards: [{ fn: 'Simon Perreault', tel: 2, email: 1 }] },
  {
    file: 'ezvcard__thunderbird-MoreFunctionsForAddressBook-extension.vcf',
    cards: [{ fn: 'John Doe', tel: 5, email: 5 }],
  },
  {
    file: 'ezvcard__issue114.vcf',
    contacts: 1,
    difference:
      'ez-vcard keeps the caret-decoded LABEL parameter of ADR (it contains a newline); the contact model has no address label, so crmsync reads the structured address and does not keep the LABEL parameter. The export half of the test concerns the writer.',
    check: ([contact]) => expect(contact?.addresses[0]?.city).to.equal('Bad Homburg'),
  },

  // AOSP VCardImporterTests.
  {
    file: 'aosp__v21_complicated.vcf',
    cards: [
      {
        fn: 'Joe Due',
        tel: 5,
        email: 2,
        check: (contact) => {
          expect(contact.notes).to.include(
            "Now's the time for all folk to come to the aid of their country.",
          );
          expect(contact.company).to.equal('Gump Shrimp Co.');
          // ORG units beyond the department are joined into it so that nothing is lost.
          expect(contact.department).to.equal('Sales Dept.;Manager, Fish keeper');
        },
      },
    ],
  },
  {
    file: 'aosp__v21_pref_handling.vcf',
    cards: [
      {
        fn: 'Smith',
        tel: 3,
        email: 2,
        check: (contact) => {
          expect(
            contact.phones.filter((phone) => phone.preferred).map((phone) => phone.number),
          ).to.deep.equal(['2']);
          expect(contact.emails.every((email) => email.preferred)).to.equal(true);
        },
      },
    ],
  },
  {
    file: 'aosp__v21_blackberry_photo.vcf',
    cards: [
      {
        fn: 'boogie',
        tel: 2,
        email: 1,
        check: (contact) => {
          expect(contact.photo?.mediaType).to.equal('image/png');
          expect(contact.photo?.bytes?.length).to.be.greaterThan(1000);
        },
      },
    ],
  },
  {
    file: 'aosp__v21_base64_no_2_crlf.vcf',
    cards: [
      {
        fn: 'fullname',
        tel: 0,
        email: 0,
        // Same bytes as the photo of v21_complicated.vcf.
        check: (contact) =>
          expect(contact.photo?.hash).to.equal(
            '764284cee9b51280b3ce349d8100e95bcc5ec5e38627daf50d03c12106ccfa4d',
          ),
      },
    ],
  },
  {
    file: 'aosp__v21_backslash.vcf',
    cards: [
      {
        fn: 'A;B\\C\\;D:E\\\\',
        tel: 0,
        email: 0,
        check: (contact) => {
          expect(contact.surname).to.equal(undefined);
          expect(contact.givenName).to.equal('A;B\\');
          expect(contact.middleName).to.equal('C\\;');
          expect(contact.title).to.equal('D');
          expect(contact.suffix).to.equal(':E');
        },
      },
    ],
    difference:
      'AOSP reports N components 6 and 7 (`\\\\` and empty); vCard N has five components and crmsync maps those five.',
  },
  {
    file: 'aosp__v21_invalid_comment_line.vcf',
    cards: [
      {
        fn: 'Conference Call',
        tel: 0,
        email: 0,
        check: (contact) =>
          expect(contact.notes).to.equal(
            'This is an (sharp ->#<- sharp) example. This message must NOT be ignored.',
          ),
      },
    ],
  },
  {
    file: 'aosp__v21_invalid_multiple_line.vcf',
    cards: [
      {
        fn: 'Omega',
        tel: 0,
        email: 1,
        check: (contact) => expect(contact.emails[0]?.address).to.equal('"Omega" <omega@example.com>'),
      },
    ],
  },
  {
    file: 'aosp__v21_multiple_entry.vcf',
    cards: [
      { fn: null, tel: 4, email: 0 },
      { fn: null, tel: 4, email: 0 },
      { fn: null, tel: 4, email: 0 },
    ],
  },
  {
    file: 'aosp__v21_nest.vcf',
    cards: [
      { fn: null, tel: 0, email: 0, check: (contact) => expect(contact.surname).to.equal('nest1') },
      { fn: null, tel: 0, email: 0, check: (contact) => expect(contact.surname).to.equal('nest2') },
      { fn: null, tel: 1, email: 0, check: (contact) => expect(contact.surname).to.equal('parent') },
    ],
  },
  {
    file: 'aosp__v21_malformed_photo.vcf',
    contacts: 0,
    problems: [
      { code: 'CRMSYNC_ERR_VCARD_BAD_PHOTO', includes: 'qgEPAAIAAAAHAAAAugEQAAIAAAAG:ASDF==', card: 1 },
    ],
  },
  {
    file: 'aosp__v21_winmo_65.vcf',
    cards: [
      {
        fn: 'Example',
        tel: 0,
        email: 0,
        check: (contact) =>
          expect(unknownLines(contact).some((line) => line.startsWith('AGENT:'))).to.equal(true),
      },
    ],
    difference:
      'AOSP keeps AGENT with an empty value; crmsync keeps the AGENT line with the text it has, for the round trip.',
  },
  {
    file: 'aosp__v21_x_param.vcf',
    cards: [
      {
        fn: null,
        tel: 2,
        email: 2,
        check: (contact) => expect([contact.surname, contact.givenName]).to.deep.equal(['Ando', 'Roid']),
      },
    ],
  },
  {
    file: 'aosp__v21_simple_1.vcf',
    cards: [
      {
        fn: null,
        tel: 0,
        email: 0,
        check: (contact) => expect([contact.surname, contact.givenName]).to.deep.equal(['Ando', 'Roid']),
      },
    ],
  },
  {
    file: 'aosp__v21_adr_multiple_line.vcf',
    cards: [
      {
        fn: null,
        tel: 0,
        email: 0,
        check: (contact) => {
          expect(contact.surname).to.equal('bogus');
          expect(contact.addresses[1]?.street).to.equal('Hermann v. Brevern\\ 9999999\\ Packstation 999');
        },
      },
    ],
  },
  {
    file: 'aosp__v30_comma_separated.vcf',
    cards: [
      {
        fn: null,
        tel: 1,
        email: 0,
        check: (contact) => expect(contact.phones[0]).to.include({ type: 'other', preferred: true }),
      },
    ],
    difference:
      'AOSP reports the TEL types {COMMA,SEPARATED:INSIDE.DQUOTE, PREF}; crmsync reads PREF as preferred and the unknown type as "other", it has no field for the type text itself.',
  },
  {
    file: 'aosp__v40_sort_as.vcf',
    cards: [
      {
        fn: '安藤 ロイド',
        tel: 0,
        email: 0,
        check: (contact) => expect([contact.surname, contact.givenName]).to.deep.equal(['安藤', 'ロイド']),
      },
    ],
    difference:
      'The SORT-AS parameter of N (あんどう;ろいど) has no field in the contact model and is not kept.',
  },

  // ical4j-vcard.
  { file: 'ical4j__vcard-vCards-SAP.vcf', contacts: 30 },
  {
    file: 'ical4j__vcard-antoni-outlook2003.vcf',
    cards: [
      {
        fn: 'Antoni Jozef Mylka jun.',
        check: (contact) => {
          expect([contact.company, contact.department]).to.deep.equal(['DFKI', 'Knowledge-Management']);
          expect(contact.birthday).to.equal('1980-01-18');
        },
      },
    ],
  },
  { file: 'ical4j__vcard-antoni-kontact.vcf', cards: [{ fn: 'Antoni Mylka' }] },
  {
    file: 'ical4j__vcard-dirk-whitespaceafterbegin.vcf',
    cards: [{ check: (contact) => expect(contact.addresses[0]?.street).to.equal('Szczecin') }],
    difference:
      'Strict ical4j rejects "BEGIN:VCARD " with a trailing space; crmsync reads it like relaxed ical4j. The ADR extended address (Szczecin) is part of the street, as the card has no street.',
  },
  {
    file: 'ical4j__vcard-incompletenproperty.vcf',
    cards: [
      {
        check: (contact) => {
          expect([contact.surname, contact.givenName]).to.deep.equal(['Mylka', 'Antoni']);
          // The N prefix "Mr." is a form of address, so it is the salutation.
          expect(contact.salutation).to.equal('Mr.');
        },
      },
    ],
  },
  {
    file: 'ical4j__vcard-antoni-cardpicture.vcf',
    cards: [
      {
        check: (contact) => {
          const line = unknownLines(contact).find((entry) => entry.startsWith('X-MS-CARDPICTURE'));
          const value = line?.slice(line.indexOf(':') + 1) ?? '';
          expect(value.startsWith('/9j/4AAQSkZJRgABAQIAAAAAAAD/2')).to.equal(true);
          expect(value).not.to.match(/[\r\n]/);
        },
      },
    ],
  },

  // FolkerKinzel/VCards (AnsiFilter: Windows-1252 unless a CHARSET names another code page).
  { file: 'folker__Greek.vcf', cards: [{ fn: 'Βαγγέλης' }] },
  { file: 'folker__Ukrainian.vcf', cards: [{ fn: 'Віталій Володимирович Кличко' }] },
  { file: 'folker__Murks.vcf', cards: [{ fn: 'Sören Täve Nüßlebaum' }] },
  { file: 'folker__utf-8.vcf', cards: [{ fn: '孔夫子' }] },
  {
    file: 'folker__Hebrew.vcf',
    // No charset hint anywhere: the name cannot be recovered, and is not claimed to be.
    cards: [{ check: (contact) => expect(contact.displayName).not.to.equal('אפרים קישון') }],
  },
  { file: 'folker__v3Ansi.vcf', contacts: 2 },
  {
    file: 'folker__AnsiIssue.vcf',
    cards: [{ check: (contact) => expect(contact.addresses[0]?.street).to.equal('Lämmerweg 12') }],
    difference:
      'A strict UTF-8 decoder throws on this file; crmsync falls back to the code page (Windows-1252) as the ANSI filter does.',
  },
  {
    file: 'folker__AnsiIssueNoEncoding.vcf',
    cards: [{ check: (contact) => expect(contact.addresses[0]?.street).to.equal('Lämmerweg 12') }],
  },
  {
    file: 'folker__AnsiIssueInvalidEncoding.vcf',
    cards: [{ check: (contact) => expect(contact.addresses[0]?.street).to.equal('Lämmerweg 12') }],
  },
  {
    file: 'folker__LabelIssue.vcf',
    cards: [
      {
        check: (contact) => {
          const streets = ['Business-Straße 19', 'Freizeitweg 4', 'Sonstgasse 44'];
          expect(contact.addresses.map((address) => address.street)).to.deep.equal(streets);
          const labels = unknownLines(contact).filter((line) => line.startsWith('LABEL'));
          for (const street of streets) expect(labels.some((label) => label.includes(street))).to.equal(true);
        },
      },
    ],
    difference: 'Each LABEL is kept as its own line for the round trip rather than attached to its address.',
  },
  {
    file: 'folker__LabelTest2.vcf',
    cards: [
      {
        check: (contact) => {
          const labels = unknownLines(contact).filter((line) => line.startsWith('LABEL'));
          expect(labels).to.have.length(4);
          expect(labels.some((label) => label.includes('Fabrikstraße 1'))).to.equal(true);
          expect(contact.addresses).to.have.length(0);
        },
      },
    ],
    difference:
      'VCards turns the 4 LABELs into label-only addresses; a label is free text that crmsync cannot split into street, code and city without guessing, so it keeps the 4 LABEL lines unchanged instead.',
  },
  {
    file: 'folker__Cropped_2_1.vcf',
    contacts: 1,
    problems: [{ code: 'CRMSYNC_ERR_VCARD_TRUNCATED', includes: 'NOTE (line 8)', card: 1 }],
    check: ([contact]) => {
      expect(contact?.displayName).to.equal('Maxl');
      // The quoted-printable NOTE runs to the end of the file and is cut off in the middle.
      expect(contact?.notes).to.equal(undefined);
    },
    difference:
      'VCards yields the card silently; crmsync yields it too, but reports that the file ends inside it and drops its last property (the NOTE), which is cut off.',
  },
  { file: 'folker__v3.vcf', contacts: 2 },
  {
    file: 'folker__Outlook v2.vcf',
    cards: [{ check: (contact) => expect(contact.photo?.mediaType).to.equal('image/jpeg') }],
  },
  {
    file: 'folker__WhatsAppIssue.vcf',
    cards: [{ tel: 2, check: (contact) => expect(contact.phones[1]?.type).to.equal('other') }],
    difference:
      'The non-standard TYPE=WhatsApp of the 2nd TEL reads as type "other"; the model has no field for the type text.',
  },

  // Roundcube.
  {
    file: 'roundcube__apple.vcf',
    cards: [
      {
        fn: 'Apple Computer AG',
        check: (contact) => {
          expect(contact.company).to.equal('Apple Computer AG');
          expect(contact.givenName).to.equal(undefined);
        },
      },
    ],
  },
  {
    file: 'roundcube__johndoe.vcf',
    cards: [
      {
        fn: 'John Doë',
        email: 2,
        check: (contact) => {
          expect(
            contact.emails.filter((email) => email.preferred).map((email) => email.address),
          ).to.deep.equal(['roundcube@gmail.com']);
          expect(contact.company).to.equal('roundcube.net');
        },
      },
    ],
    difference:
      'Roundcube moves the PREF address first; crmsync keeps the file order and marks it preferred.',
  },
  {
    file: 'roundcube__photo.vcf',
    cards: [
      {
        check: (contact) => {
          expect(contact.surname).to.equal('Müller');
          expect(Buffer.from(contact.photo?.bytes ?? []).toString('base64')).to.match(
            /^\/9j\/4AAQSkZJRgABAQA/,
          );
        },
      },
    ],
  },
  { file: 'roundcube__utf-16_sample.vcf', cards: [{ fn: 'Ǽgean ĽdaMonté' }] },

  // node-vcf.
  { file: 'nodevcf__multiple.vcf', contacts: 3 },
  {
    file: 'nodevcf__empty-lines.vcf',
    cards: [
      {
        tel: 2,
        check: (contact) => {
          expect(contact.updatedAt).to.be.a('string');
          expect(contact.photo).not.to.equal(undefined);
        },
      },
    ],
  },
  { file: 'nodevcf__xing.vcf', cards: [{ fn: 'Hans-Peter Mustermann' }] },
  {
    file: 'nodevcf__vcard-4.0.vcf',
    cards: [
      {
        fn: 'Forrest Gump',
        check: (contact) => {
          expect(contact.addresses).to.have.length(2);
          expect(contact.phones[2]?.number).to.equal('+14045551213');
        },
      },
    ],
    difference:
      'tel[2] is read as the third phone without its group name item1, and the LABEL parameter of the 2nd ADR is not kept: the model has neither.',
  },
  {
    file: 'nodevcf__quoted-list.vcf',
    cards: [{ check: (contact) => expect(contact.phones[0]?.type).to.equal('home') }],
  },

  // Text::vCard.
  {
    file: 'textvcard__mix_type.vcf',
    contacts: 1,
    problems: [{ code: 'CRMSYNC_ERR_VCARD_OUTSIDE_CARD', includes: 'FOO' }],
    difference:
      'Text::vCard dies on the BEGIN:FOO component; crmsync reads the vCard and reports the FOO component as ignored text.',
  },
  {
    file: 'textvcard__quoted.vcf',
    cards: [
      { check: (contact) => expect(contact.addresses[0]?.street).to.equal('A street on a quoted line') },
    ],
  },

  // sabre/vobject.
  { file: 'sabre__issue153.vcf', cards: [{ fn: 'Test Benutzer' }] },
  { file: 'sabre__issue64.vcf', contacts: 1 },

  // Radicale (server-side validation: N or FN required, all-or-nothing PUT).
  {
    file: 'radicale__broken-vcard.vcf',
    cards: [{ fn: null, email: 1, check: (contact) => expect(contact.surname).to.equal(undefined) }],
    difference:
      'Radicale refuses a card without N and FN; for an importer the card still carries an e-mail address and a UID worth keeping.',
  },
  {
    file: 'radicale__broken-vcards2.vcf',
    cards: [{ fn: 'Test Example' }, { fn: null, email: 1 }],
    difference:
      'Radicale refuses the whole file because the 2nd card lacks N and FN; crmsync reads both cards, card by card.',
  },
  {
    file: 'radicale__contact_photo_with_data_uri.vcf',
    cards: [{ check: (contact) => expect(contact.photo?.mediaType).to.equal('image/png') }],
  },

  // l0b0/vcard, a strict RFC 2426 validator.
  {
    file: 'l0b0__continuation_at_start.vcf',
    ...l0b0Rejected(
      'CRMSYNC_ERR_VCARD_OUTSIDE_CARD',
      'a card without BEGIN:VCARD at line 1 is not imported: its BEGIN:VCARD line is indented',
    ),
  },
  { file: 'l0b0__dot_at_line_start.vcf', ...l0b0Accepted('dot at start of line without group name') },
  { file: 'l0b0__invalid_language_value.vcf', ...l0b0Accepted('invalid language tag') },
  { file: 'l0b0__line_ending_mac.vcf', ...l0b0Accepted('CR line endings') },
  { file: 'l0b0__line_ending_unix.vcf', ...l0b0Accepted('LF line endings') },
  { file: 'l0b0__line_ending_mixed.vcf', ...l0b0Accepted('mixed line endings') },
  { file: 'l0b0__invalid_param_name.vcf', ...l0b0Accepted('unknown parameter name') },
  {
    file: 'l0b0__invalid_property_foo.vcf',
    ...l0b0Accepted('unknown property FOO'),
    check: ([contact]) => expect(unknownLines(contact as Contact)).to.include('FOO:bar'),
  },
  {
    file: 'l0b0__invalid_begin.vcf',
    ...l0b0Rejected('CRMSYNC_ERR_VCARD_OUTSIDE_CARD', 'BEGIN:VCARDinvalid'),
  },
  { file: 'l0b0__mismatch_group.vcf', ...l0b0Accepted('group mismatch') },
  { file: 'l0b0__missing_group.vcf', ...l0b0Accepted('missing group') },
  { file: 'l0b0__missing_properties.vcf', ...l0b0Rejected('CRMSYNC_ERR_VCARD_EMPTY', 'no properties') },
  {
    file: 'l0b0__missing_start.vcf',
    ...l0b0Rejected('CRMSYNC_ERR_VCARD_OUTSIDE_CARD', 'a card without BEGIN:VCARD at line 1 is not imported'),
  },
  {
    file: 'l0b0__missing_end.vcf',
    ...l0b0Accepted('no END:VCARD; the card is read up to the end of the file, without its last line', {
      surname: 'Doe',
      givenName: 'John',
      middleName: 'Ottoman',
      salutation: 'Mr',
    }),
    // Nothing shows that the FN line, the last before the end of the file, is complete.
    problems: [{ code: 'CRMSYNC_ERR_VCARD_TRUNCATED', includes: 'FN (line 4)', card: 1 }],
  },
  {
    file: 'l0b0__missing_version.vcf',
    ...l0b0Accepted('no VERSION', {
      displayName: 'John Ottoman Doe',
      surname: 'Doe',
      givenName: 'John',
      middleName: 'Ottoman',
      salutation: 'Mr',
      suffix: 'Jr',
    }),
  },
  {
    file: 'l0b0__missing_fn.vcf',
    ...l0b0Accepted('no FN', { surname: 'Doe', givenName: 'John', salutation: 'Mr' }),
  },
  {
    file: 'l0b0__missing_n_value.vcf',
    ...l0b0Accepted('"N" without a value; the card still has its FN', { displayName: 'John Doe' }),
  },
  {
    file: 'l0b0__minimal.vcf',
    contacts: 1,
    check: ([contact]) => expect(nameFields(contact)).to.deep.equal(johnDoe),
  },
  { file: 'l0b0__maximal.vcf', contacts: 1 },
  {
    file: 'l0b0__scrambled_case.vcf',
    contacts: 1,
    check: ([contact]) => expect(nameFields(contact)).to.deep.equal(johnDoe),
  },

  // Evolution (evolution-data-server) test cards.
  {
    file: 'eds__9.vcf',
    contacts: 1,
    problems: [
      { code: 'CRMSYNC_ERR_VCARD_TRUNCATED', includes: 'unfinished last line "E" (line 9)', card: 1 },
    ],
    check: ([contact]) => {
      expect(contact?.phones.map((phone) => phone.number)).to.deep.equal([
        '+1-919-676-9515',
        '+1-919-676-9564',
      ]);
      expect(unknownLines(contact as Contact)).to.deep.equal([]);
    },
    difference:
      'The file ends inside END:VCARD (a last line "E"): the card is read without that fragment, and the cut is reported.',
  },
  {
    file: 'eds__11.vcf',
    cards: [
      {
        fn: 'Invalid AttributeParam',
        check: (contact) =>
          expect(unknownLines(contact)).to.deep.equal([
            'X-EVOLUTION-FILE-AS:AttributeParam\\, Invalid',
            'NOPARAM:pas-id-4094434A00000001',
            'TAIL;PARAM=value:pas-id-4094434A00000001',
            'MIDDLE;PARAM=value;PARAM2=value2:pas-id-4094434A00000001',
          ]),
      },
    ],
    difference: 'Empty parameters (`NOPARAM;:`) are not valid vCard; the lines are kept without them.',
  },
];

/** Asserts one file's results against its expectation; `results` are what the reader yielded. */
export function assertExpectation(expectation: FileExpectation, results: Fetched<Contact>[]): void {
  const contacts: Contact[] = [];
  const problems: RecordProblem[] = [];
  for (const result of results) {
    if (result.ok) contacts.push(result.value);
    else problems.push(result.problem);
  }
  const label = expectation.file;
  const expectedContacts = expectation.contacts ?? expectation.cards?.length;
  if (expectedContacts !== undefined)
    expect(contacts, `${label}: contacts read`).to.have.length(expectedContacts);
  const expectedProblems = expectation.problems ?? [];
  expect(
    problems.map((problem) => problem.code),
    `${label}: problems`,
  ).to.deep.equal(expectedProblems.map((problem) => problem.code));
  expectedProblems.forEach((wanted, index) => {
    const problem = problems[index] as RecordProblem;
    if (wanted.includes) expect(problem.message, `${label}: problem message`).to.include(wanted.includes);
    if (wanted.card !== undefined)
      expect(problem.location.card, `${label}: problem card`).to.equal(wanted.card);
    expect(problem.location.line, `${label}: problem line`).to.be.a('number');
  });
  expectation.cards?.forEach((card, index) => {
    const contact = contacts[index] as Contact;
    const where = `${label} card ${index}`;
    if (card.fn !== undefined) expect(contact.displayName, `${where}: FN`).to.equal(card.fn ?? undefined);
    if (card.tel !== undefined) expect(contact.phones, `${where}: TEL`).to.have.length(card.tel);
    if (card.email !== undefined) expect(contact.emails, `${where}: EMAIL`).to.have.length(card.email);
    card.check?.(contact);
  });
  expectation.check?.(contacts);
}
