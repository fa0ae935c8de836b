import { useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import {
  ChevronDown,
  ChevronRight,
  Copy,
  Download,
  Folder,
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
import {
  defaultSiteInput,
  siteMatches,
  type Site,
  type SiteFolder,
  type SiteTree,
} from '../../../shared/sites';
import { call, errorText, ferry } from '../api';
import { connectToSite, loadSites, useSites } from '../sites';
import { useStore } from '../store';
import { Dialog } from './Dialog';
import { ExportPanel, ImportPanel } from './SiteImportExport';
import { SiteForm } from './SiteForm';

type Selection = { kind: 'site' | 'folder'; id: string } | undefined;
type View = 'tree' | 'import' | 'export';

/** The item being dragged within the tree (HTML drag data is not readable during dragover). */
const dragged: { id: string | undefined } = { id: undefined };

const toast = (kind: 'error' | 'info', text: string) => useStore.getState().toast(kind, text);

/** Folders and sites shown for a search: matching sites with their folders, matching folders whole. */
function visibleIds(tree: SiteTree, query: string): Set<string> | undefined {
  const needle = query.trim().toLowerCase();
  if (needle === '') return undefined;
  const byId = new Map(tree.folders.map((f) => [f.id, f]));
  const ids = new Set<string>();
  const addAncestors = (parentId: string | null) => {
    for (let id = parentId; id !== null; id = byId.get(id)?.parentId ?? null) ids.add(id);
  };
  const matchedFolders = tree.folders.filter((f) => f.name.toLowerCase().includes(needle));
  const inside = (folderId: string | null): boolean => {
    for (let id = folderId; id !== null; id = byId.get(id)?.parentId ?? null) {
      if (matchedFolders.some((f) => f.id === id)) return true;
    }
    return false;
  };
  for (const folder of tree.folders) {
    if (inside(folder.id)) {
      ids.add(folder.id);
      addAncestors(folder.parentId);
    }
  }
  for (const site of tree.sites) {
    if (siteMatches(site, query) || inside(site.parentId)) {
      ids.add(site.id);
      addAncestors(site.parentId);
    }
  }
  return ids;
}

const COLOUR_VALUES: Record<string, string> = {
  red: '#e5484d',
  green: '#30a46c',
  blue: '#3e7bfa',
  yellow: '#e2b007',
  cyan: '#05a2c2',
  magenta: '#d23197',
  orange: '#f76b15',
};

export function colourOf(colour: Site['colour']): string | undefined {
  return COLOUR_VALUES[colour];
}

/** The site manager: a tree of folders and sites on the left, the selected site's form on the right. */
export function SiteManager() {
  const open = useStore((s) => s.siteManagerOpen);
  if (!open) return null;
  return <SiteManagerBody />;
}

function SiteManagerBody() {
  const setOpen = useStore((s) => s.setSiteManagerOpen);
  const tree = useSites((s) => s.tree);
  const focusSiteId = useSites((s) => s.focusSiteId);
  const [selection, setSelection] = useState<Selection>(() => {
    const first = focusSiteId ?? tree.sites.find((s) => s.parentId === null)?.id;
    return first ? { kind: 'site', id: first } : undefined;
  });
  const [query, setQuery] = useState('');
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [view, setView] = useState<View>('tree');
  const [dropTarget, setDropTarget] = useState<string | null | undefined>(undefined);
  const treeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (focusSiteId) useSites.setState({ focusSiteId: undefined });
  }, [focusSiteId]);
  // Remembered answers (e.g. "continue without TLS") change outside the site manager.
  useEffect(() => {
    void loadSites().catch(() => undefined);
  }, []);

  const visible = useMemo(() => visibleIds(tree, query), [tree, query]);
  const selectedSite =
    selection?.kind === 'site' ? tree.sites.find((s) => s.id === selection.id) : undefined;
  const selectedFolder =
    selection?.kind === 'folder' ? tree.folders.find((f) => f.id === selection.id) : undefined;
  /** New items go into the selected folder, or next to the selected site. */
  const targetFolder = selectedFolder?.id ?? selectedSite?.parentId ?? null;

  const close = () => setOpen(false);

  const newSite = async () => {
    const settings = useSites.getState().settings;
    const siblings = new Set(
      tree.sites.filter((s) => s.parentId === targetFolder).map((s) => s.name),
    );
    let name = 'New site';
    for (let n = 2; siblings.has(name); n++) name = `New site ${n}`;
    try {
      const result = await call(
        ferry.createSite(
          {
            ...defaultSiteInput(targetFolder),
            name,
            host: 'ftp.example.com',
            user: 'user',
            tlsMin: settings.defaultTlsMin,
          },
          {},
        ),
      );
      if (result.ok) {
        setView('tree');
        setSelection({ kind: 'site', id: result.site.id });
      } else toast('error', result.errors.map((e) => e.message).join(' '));
    } catch (error) {
      toast('error', errorText(error));
    }
  };

  const newFolder = async () => {
    const name = await useStore.getState().askInput({
      title: 'New folder',
      label: 'Folder name',
      initial: '',
      confirmLabel: 'Create',
    });
    if (!name) return;
    try {
      const folder = await call(ferry.createFolder(name, targetFolder));
      setSelection({ kind: 'folder', id: folder.id });
    } catch (error) {
      toast('error', errorText(error));
    }
  };

  const duplicate = async () => {
    if (!selectedSite) return;
    try {
      const copy = await call(ferry.duplicateSite(selectedSite.id));
      setSelection({ kind: 'site', id: copy.id });
    } catch (error) {
      toast('error', errorText(error));
    }
  };

  const rename = async () => {
    const item = selectedSite ?? selectedFolder;
    if (!item) return;
    const name = await useStore.getState().askInput({
      title: selectedSite ? 'Rename site' : 'Rename folder',
      label: 'Name',
      initial: item.name,
      confirmLabel: 'Rename',
    });
    if (!name || name === item.name) return;
    try {
      if (selectedSite) await call(ferry.renameSite(selectedSite.id, name));
      else await call(ferry.renameFolder(item.id, name));
    } catch (error) {
      toast('error', errorText(error));
    }
  };

  const remove = async () => {
    const item = selectedSite ?? selectedFolder;
    if (!item) return;
    const contents = selectedFolder
      ? tree.sites.filter((s) => s.parentId === selectedFolder.id).length +
        tree.folders.filter((f) => f.parentId === selectedFolder.id).length
      : 0;
    const ok = await useStore.getState().askConfirm({
      title: `Delete “${item.name}”?`,
      message: selectedSite
        ? 'The site and its saved password are deleted. This cannot be undone.'
        : contents > 0
          ? 'The folder is deleted with every site and folder in it, and their saved passwords.'
          : 'The empty folder is deleted.',
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!ok) return;
    try {
      if (selectedSite) await call(ferry.deleteSite(selectedSite.id));
      else await call(ferry.deleteFolder(item.id));
      setSelection(undefined);
    } catch (error) {
      toast('error', errorText(error));
    }
  };

  const move = async (id: string, parentId: string | null) => {
    try {
      await call(ferry.moveSiteItem(id, parentId));
    } catch (error) {
      toast('error', errorText(error));
    }
  };

  // Rows in display order, for the keyboard.
  const rows: Array<{ kind: 'site' | 'folder'; id: string; depth: number }> = [];
  const walk = (parentId: string | null, depth: number) => {
    for (const folder of tree.folders.filter((f) => f.parentId === parentId)) {
      if (visible && !visible.has(folder.id)) continue;
      rows.push({ kind: 'folder', id: folder.id, depth });
      if (!collapsed.has(folder.id) || visible) walk(folder.id, depth + 1);
    }
    for (const site of tree.sites.filter((s) => s.parentId === parentId)) {
      if (visible && !visible.has(site.id)) continue;
      rows.push({ kind: 'site', id: site.id, depth });
    }
  };
  walk(null, 0);

  const onTreeKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = rows.findIndex((r) => r.id === selection?.id);
    const at = (i: number) => {
      const row = rows[Math.max(0, Math.min(rows.length - 1, i))];
      if (row) setSelection({ kind: row.kind, id: row.id });
    };
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      at(index + 1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      at(index - 1);
    } else if (event.key === 'Enter' && selectedSite) {
      event.preventDefault();
      void connectToSite(selectedSite);
    } else if (event.key === 'F2') {
      event.preventDefault();
      void rename();
    } else if (event.key === 'Delete') {
      event.preventDefault();
      void remove();
    } else if (selectedFolder && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
      event.preventDefault();
      setCollapsed((current) => {
        const next = new Set(current);
        if (event.key === 'ArrowLeft') next.add(selectedFolder.id);
        else next.delete(selectedFolder.id);
        return next;
      });
    }
  };

  const dragProps = (id: string) => ({
    draggable: true,
    onDragStart: (event: DragEvent) => {
      dragged.id = id;
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', id);
    },
    onDragEnd: () => {
      dragged.id = undefined;
      setDropTarget(undefined);
    },
  });

  const dropProps = (folderId: string | null) => ({
    onDragOver: (event: DragEvent) => {
      if (!dragged.id || dragged.id === folderId) return;
      event.preventDefault();
      event.stopPropagation();
      event.dataTransfer.dropEffect = 'move';
      setDropTarget(folderId);
    },
    onDragLeave: () => setDropTarget(undefined),
    onDrop: (event: DragEvent) => {
      event.preventDefault();
      event.stopPropagation();
      const id = dragged.id ?? event.dataTransfer.getData('text/plain');
      dragged.id = undefined;
      setDropTarget(undefined);
      if (id && id !== folderId) void move(id, folderId);
    },
  });

  const renderFolder = (folder: SiteFolder, depth: number) => {
    const isOpen = !collapsed.has(folder.id) || visible !== undefined;
    const selected = selection?.id === folder.id;
    return (
      <li key={folder.id} role="none">
        <div
          role="treeitem"
          aria-selected={selected}
          aria-expanded={isOpen}
          aria-level={depth + 1}
          data-kind="folder"
          data-name={folder.name}
          className={`tree-row ${selected ? 'selected' : ''} ${dropTarget === folder.id ? 'drop' : ''}`}
          style={{ paddingLeft: 6 + depth * 16 }}
          onClick={() => setSelection({ kind: 'folder', id: folder.id })}
          onDoubleClick={() =>
            setCollapsed((current) => {
              const next = new Set(current);
              if (next.has(folder.id)) next.delete(folder.id);
              else next.add(folder.id);
              return next;
            })
          }
          {...dragProps(folder.id)}
          {...dropProps(folder.id)}
        >
          <button
            type="button"
            className="tree-twisty"
            tabIndex={-1}
            aria-label={isOpen ? 'Collapse' : 'Expand'}
            onClick={(event) => {
              event.stopPropagation();
              setCollapsed((current) => {
                const next = new Set(current);
                if (isOpen) next.add(folder.id);
                else next.delete(folder.id);
                return next;
              });
            }}
          >
            {isOpen ? <ChevronDown size={13} /> : <ChevronRight size={13} />}
          </button>
          {isOpen ? (
            <FolderOpen size={15} className="tree-folder-icon" />
          ) : (
            <Folder size={15} className="tree-folder-icon" />
          )}
          <span className="tree-name">{folder.name}</span>
        </div>
        {isOpen ? <ul role="group">{renderChildren(folder.id, depth + 1)}</ul> : null}
      </li>
    );
  };

  const renderSite = (site: Site, depth: number) => {
    const selected = selection?.id === site.id;
    const colour = colourOf(site.colour);
    return (
      <li key={site.id} role="none">
        <div
          role="treeitem"
          aria-selected={selected}
          aria-level={depth + 1}
          data-kind="site"
          data-name={site.name}
          className={`tree-row ${selected ? 'selected' : ''}`}
          style={{ paddingLeft: 6 + depth * 16 + 17 }}
          title={`${site.user ? `${site.user}@` : ''}${site.host}:${site.port}`}
          onClick={() => setSelection({ kind: 'site', id: site.id })}
          onDoubleClick={() => void connectToSite(site)}
          {...dragProps(site.id)}
          {...(site.parentId !== null ? dropProps(site.parentId) : dropProps(null))}
        >
          <span className="tree-site-icon" style={colour ? { color: colour } : undefined}>
            <Server size={15} />
          </span>
          <span className="tree-name">{site.name}</span>
          {site.mode === 'plain' ? <span className="tree-tag bad">plain</span> : null}
        </div>
      </li>
    );
  };

  const renderChildren = (parentId: string | null, depth: number) => [
    ...tree.folders
      .filter((f) => f.parentId === parentId && (!visible || visible.has(f.id)))
      .map((f) => renderFolder(f, depth)),
    ...tree.sites
      .filter((s) => s.parentId === parentId && (!visible || visible.has(s.id)))
      .map((s) => renderSite(s, depth)),
  ];

  const empty = tree.sites.length === 0 && tree.folders.length === 0;

  return (
    <Dialog
      title="Site Manager"
      icon={<Server size={18} />}
      width={980}
      onClose={close}
      testId="site-manager"
    >
      <div className="site-manager">
        <aside className="site-sidebar">
          <div className="site-toolbar" role="toolbar" aria-label="Sites">
            <button type="button" className="button small" onClick={() => void newSite()}>
              <Plus size={14} /> New site
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label="New folder"
              title="New folder"
              onClick={() => void newFolder()}
            >
              <FolderPlus size={15} />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label="Duplicate"
              title="Duplicate"
              disabled={!selectedSite}
              onClick={() => void duplicate()}
            >
              <Copy size={15} />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label="Rename"
              title="Rename (F2)"
              disabled={!selection}
              onClick={() => void rename()}
            >
              <Pencil size={15} />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label="Delete"
              title="Delete"
              disabled={!selection}
              onClick={() => void remove()}
            >
              <Trash2 size={15} />
            </button>
          </div>
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
          <div
            ref={treeRef}
            className={`site-tree ${dropTarget === null ? 'drop' : ''}`}
            // A tree with no items is no tree (ARIA requires items): the empty state is text.
            {...(empty || visible?.size === 0
              ? {}
              : { role: 'tree', 'aria-label': 'Sites and folders', tabIndex: 0 })}
            onKeyDown={onTreeKey}
            {...dropProps(null)}
          >
            {empty ? (
              <div className="empty-state small">
                <Server size={26} strokeWidth={1.4} />
                <p>No saved sites yet. Create one, or import them from FileZilla.</p>
              </div>
            ) : visible && visible.size === 0 ? (
              <div className="empty-state small">
                <p>No site matches “{query}”.</p>
              </div>
            ) : (
              <ul role="group">{renderChildren(null, 0)}</ul>
            )}
          </div>
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
          ) : selectedSite ? (
            <SiteForm key={selectedSite.id} site={selectedSite} />
          ) : selectedFolder ? (
            <div className="empty-state">
              <FolderOpen size={32} strokeWidth={1.4} />
              <h3>{selectedFolder.name}</h3>
              <p>
                {tree.sites.filter((s) => s.parentId === selectedFolder.id).length} site(s). Drag
                sites onto a folder to move them.
              </p>
            </div>
          ) : (
            <div className="empty-state">
              <Plug size={32} strokeWidth={1.4} />
              <h3>Choose a site</h3>
              <p>Double-click a site or press Enter to connect.</p>
            </div>
          )}
        </section>
      </div>
    </Dialog>
  );
}
