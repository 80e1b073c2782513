import { useState } from 'preact/hooks';
import { useCatalog } from '../../catalog';
import { useT } from '../../i18n/language';
import { PageHeading } from '../../ui/page-heading';

const vcardFile = /\.(vcf|vcard)$/i;

/**
 * Where the contacts come from: the groupware in use (the manual's way), or a vCard file
 * dropped on the page or picked — the offline way when Outlook is out of reach.
 */
export function SourceStep(props: { busy: boolean; onGroupware: () => void; onFile: (file: File) => void }) {
  const t = useT();
  const { connectors } = useCatalog();
  const [dragging, setDragging] = useState(false);
  const [refused, setRefused] = useState<string | undefined>();
  const groupware = connectors ? (t.connectorNames[connectors.groupware.id] ?? connectors.groupware.id) : '…';

  const take = (file: File | undefined) => {
    if (!file) return;
    if (!vcardFile.test(file.name)) {
      setRefused(t.import.notVcard(file.name));
      return;
    }
    setRefused(undefined);
    props.onFile(file);
  };

  return (
    <section class="card">
      <PageHeading level={2}>{t.import.sourceHeading}</PageHeading>
      <p class="hint">{t.import.sourceHint}</p>
      <div class="source-choices">
        <button
          type="button"
          class="button-primary button-large"
          disabled={props.busy}
          onClick={props.onGroupware}
        >
          {t.import.fromGroupware(groupware)}
        </button>
        <span class="or" aria-hidden="true">
          {t.import.or}
        </span>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping a file is the mouse's way; the file picker inside is the keyboard's */}
        <div
          class={dragging ? 'drop-zone drop-zone-active' : 'drop-zone'}
          onDragEnter={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragOver={(event) => {
            event.preventDefault();
            if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => {
            event.preventDefault();
            setDragging(false);
            if (!props.busy) take(event.dataTransfer?.files[0]);
          }}
        >
          <h3>{t.import.fileHeading}</h3>
          <p>{t.import.dropZone}</p>
          <label class="button file-button">
            {t.import.pickFile}
            <input
              type="file"
              accept=".vcf,.vcard,text/vcard,text/x-vcard"
              disabled={props.busy}
              onChange={(event) => {
                take(event.currentTarget.files?.[0]);
                event.currentTarget.value = '';
              }}
            />
          </label>
        </div>
      </div>
      {refused && (
        <p class="note note-error" role="alert">
          {refused}
        </p>
      )}
    </section>
  );
}
