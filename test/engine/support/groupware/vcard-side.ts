import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VcardFolderConnector } from '../../../../plugins/vcard-file/src/vcard-folder-connector.js';
import { type GroupwareSide, groupwareNames, type PersonEdit, type PersonEntry } from './groupware-side.js';

/**
 * A vCard folder as Outlook's export or a person leaves it: one `.vcf` file per contact.
 * Further folders are further accounts (`others`).
 */
export class VcardSide implements GroupwareSide {
  readonly kind = 'vcard';
  readonly name = groupwareNames.vcard;
  readonly connectorId = 'vcard-file';
  readonly env: NodeJS.ProcessEnv = {};
  private own: VcardFolderConnector | undefined;
  private serial = 0;

  private constructor(
    readonly folder: string,
    private readonly stateDir: string,
    readonly others: readonly VcardSide[] = [],
  ) {}

  static async open(dir: string, accounts = 1): Promise<VcardSide> {
    const sides = Array.from({ length: accounts }, (_, index) => {
      const suffix = index === 0 ? '' : `-${index + 1}`;
      const side = new VcardSide(join(dir, `vcards${suffix}`), join(dir, `vcard-state${suffix}`));
      mkdirSync(side.folder, { recursive: true });
      return side;
    });
    return new VcardSide(sides[0]!.folder, sides[0]!.stateDir, sides.slice(1));
  }

  configure(configDir: string): void {
    writeFileSync(
      join(configDir, 'plugins', 'vcard-file.json'),
      JSON.stringify({
        folder: this.folder,
        ...(this.others.length > 0 ? { folders: this.others.map((other) => other.folder) } : {}),
      }),
    );
  }

  async connector(): Promise<VcardFolderConnector> {
    if (!this.own) {
      this.own = new VcardFolderConnector({ folder: this.folder, stateDir: this.stateDir });
      // The folder is made when first configured, as the plugin does.
      await this.own.health();
    }
    return this.own;
  }

  add(entry: PersonEntry): string {
    const fileName = `${slug(`${entry.surname}-${entry.givenName ?? ''}`)}-${++this.serial}.vcf`;
    this.writeCard(fileName, ...cardLines(entry));
    return fileName;
  }

  /** A card written line by line, for what only a file can hold (a broken card, a dialect). */
  writeCard(fileName: string, ...lines: string[]): void {
    const card = ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join('\r\n');
    writeFileSync(join(this.folder, fileName), card);
  }

  ids(): string[] {
    return readdirSync(this.folder).filter((name) => name.endsWith('.vcf'));
  }

  crmIdOf(id: string): string | undefined {
    return /^X-CRMSYNC-ID[^:\r\n]*:(.*)$/im.exec(readFileSync(this.fileOf(id), 'utf8'))?.[1]?.trim();
  }

  fingerprint(id: string): string {
    const file = statSync(this.fileOf(id));
    return `${file.ino}:${file.mtimeMs}`;
  }

  snapshot(): string {
    return this.ids()
      .sort()
      .map((name) => `${name}\n${readFileSync(join(this.folder, name), 'utf8')}`)
      .join('\n');
  }

  /** Edits the card's text as a person would in an editor; an address book stamps REV as it saves. */
  async change(id: string, edit: PersonEdit, at?: string): Promise<void> {
    if (id.includes('#')) throw new Error(`${id} is one card of several in a file; edit a card of its own`);
    const file = this.fileOf(id);
    let lines = readFileSync(file, 'utf8')
      .replace(/\r\n[ \t]/g, '')
      .split('\r\n');
    const put = (replaces: (name: string, params: string) => boolean, line: string) => {
      lines = lines.filter((existing) => {
        const property = /^([A-Za-z0-9-]+)([^:]*):/.exec(existing);
        return !property || !replaces(property[1]!.toUpperCase(), property[2]!.toUpperCase());
      });
      lines.splice(lines.lastIndexOf('END:VCARD'), 0, line);
    };
    if (edit.jobTitle !== undefined) put((name) => name === 'TITLE', `TITLE:${text(edit.jobTitle)}`);
    if (edit.notes !== undefined) put((name) => name === 'NOTE', `NOTE:${text(edit.notes)}`);
    if (edit.mobile !== undefined)
      put((name, params) => name === 'TEL' && params.includes('CELL'), `TEL;TYPE=CELL:${edit.mobile}`);
    put((name) => name === 'REV', `REV:${at ?? new Date().toISOString()}`);
    writeFileSync(file, lines.join('\r\n'));
  }

  remove(id: string): void {
    rmSync(this.fileOf(id));
  }

  async close(): Promise<void> {}

  /** A card in a file of several has the id `file#n`. */
  private fileOf(id: string): string {
    return join(this.folder, id.split('#')[0]!);
  }
}

function cardLines(entry: PersonEntry): string[] {
  const lines = [
    `N:${text(entry.surname)};${text(entry.givenName ?? '')};;;`,
    `FN:${text([entry.givenName, entry.surname].filter(Boolean).join(' '))}`,
  ];
  if (entry.email !== undefined) lines.push(`EMAIL;TYPE=WORK:${entry.email}`);
  if (entry.mobile !== undefined) lines.push(`TEL;TYPE=CELL:${entry.mobile}`);
  if (entry.company !== undefined) lines.push(`ORG:${text(entry.company)}`);
  if (entry.birthday !== undefined) lines.push(`BDAY:${entry.birthday}`);
  if (entry.notes !== undefined) lines.push(`NOTE:${text(entry.notes)}`);
  if (entry.photo) lines.push(`PHOTO;ENCODING=b;TYPE=PNG:${Buffer.from(entry.photo).toString('base64')}`);
  if (entry.crmId !== undefined) lines.push(`X-CRMSYNC-ID:${entry.crmId}`);
  return lines;
}

const text = (value: string) => value.replace(/[\\,;]/g, (char) => `\\${char}`);

const slug = (value: string) =>
  value
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/** The side of a world or harness that is a vCard folder, for cases only a file can show. */
export function asVcard(side: GroupwareSide): VcardSide {
  if (!(side instanceof VcardSide)) throw new Error(`this case needs the vCard folder, not ${side.name}`);
  return side;
}
