import { useEffect, useState } from 'react';
import {
  Copy,
  Download,
  FolderOpen,
  FolderPlus,
  Pencil,
  Plug,
  Plus,
  Search,
  Server,
  Trash2,
  Upload,
} from 'lucide-react';
import type { Site, SiteInput, SiteTree } from '../../../shared/sites';
import { useStore } from '../app/store';
import { Dialog } from '../ui/Dialog';
import {
  clearFocusSite,
  createFolder,
  deleteItem,
  duplicateSite,
  loadSites,
  newSiteDraft,
  openSiteManager,
  renameItem,
  type TreeItem,
} from './actions';
import { SiteForm } from './SiteForm';
import { ExportPanel, ImportPanel } from './SiteImportExport';
import { SiteTreeView, type TreeSelection } from './SiteTree';

/** A saved site or folder, or a new site's draft (not saved until the user saves it). */
type Selection = TreeSelection | { kind: 'draft'; id: string; input: SiteInput } | undefined;
type View = 'tree' | 'import' | 'export';

let drafts = 0;

/** The site manager: a tree of folders and sites on the left, the selected site's form on the right. */
export function SiteManager() {
  const open = useStore((s) => s.siteManagerOpen);
  if (!open) return null;
  return <SiteManagerBody />;
}

function SiteManagerBody() {
  const tree = useStore((s) => s.tree);
  const focusSiteId = useStore((s) => s.focusSiteId);
  const [selection, setSelection] = useState<Selection>(() => {
    const first = focusSiteId ?? tree.sites.find((s) => s.parentId === null)?.id;
    return first ? { kind: 'site', id: first } : undefined;
  });
  /** The site a draft just became: its form says "Saved". */
  const [created, setCreated] = useState<string | undefined>(undefined);
  const [query, setQuery] = useState('');
  const [view, setView] = useState<View>('tree');

  useEffect(() => {
    if (focusSiteId) clearFocusSite();
  }, [focusSiteId]);
  // Remembered answers (e.g. "continue without TLS") change outside the site manager.
  useEffect(() => {
    void loadSites().catch(() => undefined);
  }, []);

  const selectedSite =
    selection?.kind === 'site' ? tree.sites.find((s) => s.id === selection.id) : undefined;
  const selectedFolder =
    selection?.kind === 'folder' ? tree.folders.find((f) => f.id === selection.id) : undefined;
  const item: TreeItem | undefined = selectedSite
    ? { kind: 'site', id: selectedSite.id, name: selectedSite.name }
    : selectedFolder
      ? { kind: 'folder', id: selectedFolder.id, name: selectedFolder.name }
      : undefined;
  /** New items go into the selected folder, or next to the selected site (or draft). */
  const targetFolder =
    selectedFolder?.id ??
    selectedSite?.parentId ??
    (selection?.kind === 'draft' ? selection.input.parentId : null);

  const select = (next: Selection) => {
    setCreated(undefined);
    setSelection(next);
  };
  const newSite = () => {
    setView('tree');
    select({ kind: 'draft', id: `draft-${++drafts}`, input: newSiteDraft(targetFolder) });
  };
  const newFolder = async () => {
    const id = await createFolder(targetFolder);
    if (id) select({ kind: 'folder', id });
  };
  const duplicate = async () => {
    const id = selectedSite && (await duplicateSite(selectedSite));
    if (id) select({ kind: 'site', id });
  };
  const rename = () => item && void renameItem(item);
  const remove = async () => {
    if (item && (await deleteItem(item))) select(undefined);
  };
  const onCreated = (site: Site) => {
    setSelection({ kind: 'site', id: site.id });
    setCreated(site.id);
  };

  return (
    <Dialog
      title="Site Manager"
      icon={<Server size={18} />}
      width={980}
      onClose={() => openSiteManager(false)}
      testId="site-manager"
    >
      <div className="site-manager">
        <aside className="site-sidebar">
          <SiteToolbar
            canDuplicate={!!selectedSite}
            canEdit={!!item}
            onNewSite={newSite}
            onNewFolder={() => void newFolder()}
            onDuplicate={() => void duplicate()}
            onRename={rename}
            onRemove={() => void remove()}
          />
          <label className="site-search">
            <Search size={14} />
            <input
              type="search"
              placeholder="Search sites"
              aria-label="Search sites"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
          </label>
          <SiteTreeView
            tree={tree}
            query={query}
            selection={selection?.kind === 'draft' ? undefined : selection}
            onSelect={select}
            onRename={rename}
            onRemove={() => void remove()}
          />
          <div className="site-sidebar-footer">
            <button
              type="button"
              className={`button small ghost ${view === 'import' ? 'active' : ''}`}
              onClick={() => setView(view === 'import' ? 'tree' : 'import')}
            >
              <Download size={14} /> Import…
            </button>
            <button
              type="button"
              className={`button small ghost ${view === 'export' ? 'active' : ''}`}
              onClick={() => setView(view === 'export' ? 'tree' : 'export')}
            >
              <Upload size={14} /> Export…
            </button>
          </div>
        </aside>
        <section className="site-detail">
          {view === 'import' ? (
            <ImportPanel onDone={() => setView('tree')} />
          ) : view === 'export' ? (
            <ExportPanel onDone={() => setView('tree')} />
          ) : selection?.kind === 'draft' ? (
            <SiteForm
              key={selection.id}
              site={undefined}
              draft={selection.input}
              onCreated={onCreated}
            />
          ) : selectedSite ? (
            <SiteForm
              key={selectedSite.id}
              site={selectedSite}
              {...(created === selectedSite.id ? { initialNote: 'Saved' } : {})}
            />
          ) : (
            <DetailPlaceholder tree={tree} folder={selectedFolder} />
          )}
        </section>
      </div>
    </Dialog>
  );
}

function SiteToolbar(props: {
  canDuplicate: boolean;
  canEdit: boolean;
  onNewSite: () => void;
  onNewFolder: () => void;
  onDuplicate: () => void;
  onRename: () => void;
  onRemove: () => void;
}) {
  return (
    <div className="site-toolbar" role="toolbar" aria-label="Sites">
      <button type="button" className="button small" onClick={props.onNewSite}>
        <Plus size={14} /> New site
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="New folder"
        title="New folder"
        onClick={props.onNewFolder}
      >
        <FolderPlus size={15} />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Duplicate"
        title="Duplicate"
        disabled={!props.canDuplicate}
        onClick={props.onDuplicate}
      >
        <Copy size={15} />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Rename"
        title="Rename (F2)"
        disabled={!props.canEdit}
        onClick={props.onRename}
      >
        <Pencil size={15} />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Delete"
        title="Delete"
        disabled={!props.canEdit}
        onClick={props.onRemove}
      >
        <Trash2 size={15} />
      </button>
    </div>
  );
}

/** The detail side when no site is open: a folder's summary, or how to start. */
function DetailPlaceholder({
  tree,
  folder,
}: {
  tree: SiteTree;
  folder?: { id: string; name: string } | undefined;
}) {
  if (folder) {
    return (
      <div className="empty-state">
        <FolderOpen size={32} strokeWidth={1.4} />
        <h3>{folder.name}</h3>
        <p>
          {tree.sites.filter((s) => s.parentId === folder.id).length} site(s). Drag sites onto a
          folder to move them.
        </p>
      </div>
    );
  }
  return (
    <div className="empty-state">
      <Plug size={32} strokeWidth={1.4} />
      <h3>Choose a site</h3>
      <p>Double-click a site or press Enter to connect.</p>
    </div>
  );
}
