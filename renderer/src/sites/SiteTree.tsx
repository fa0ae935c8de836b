import { useMemo, useState, type DragEvent, type KeyboardEvent, type ReactNode } from 'react';
import { ChevronDown, ChevronRight, Folder, FolderOpen, Server } from 'lucide-react';
import { siteMatches, type Site, type SiteFolder, type SiteTree } from '../../../shared/sites';
import { connectToSite, moveItem } from './actions';

export type TreeSelection = { kind: 'site' | 'folder'; id: string };

/** The item being dragged within the tree (HTML drag data is not readable during dragover). */
const dragged: { id: string | undefined } = { id: undefined };

/** Folders and sites shown for a search: matching sites with their folders, matching folders whole. */
export function visibleIds(tree: SiteTree, query: string): Set<string> | undefined {
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

/** What a row needs from the tree around it. */
interface TreeContext {
  tree: SiteTree;
  visible: Set<string> | undefined;
  selectedId: string | undefined;
  collapsed: Set<string>;
  dropTarget: string | null | undefined;
  select: (selection: TreeSelection) => void;
  toggle: (folderId: string, open?: boolean) => void;
  dragProps: (id: string) => object;
  dropProps: (folderId: string | null) => object;
}

function children(ctx: TreeContext, parentId: string | null, depth: number): ReactNode[] {
  const { tree, visible } = ctx;
  return [
    ...tree.folders
      .filter((f) => f.parentId === parentId && (!visible || visible.has(f.id)))
      .map((f) => <FolderRow key={f.id} ctx={ctx} folder={f} depth={depth} />),
    ...tree.sites
      .filter((s) => s.parentId === parentId && (!visible || visible.has(s.id)))
      .map((s) => <SiteRow key={s.id} ctx={ctx} site={s} depth={depth} />),
  ];
}

function FolderRow({
  ctx,
  folder,
  depth,
}: {
  ctx: TreeContext;
  folder: SiteFolder;
  depth: number;
}) {
  const isOpen = !ctx.collapsed.has(folder.id) || ctx.visible !== undefined;
  const selected = ctx.selectedId === folder.id;
  return (
    <li role="none">
      <div
        role="treeitem"
        aria-selected={selected}
        aria-expanded={isOpen}
        aria-level={depth + 1}
        data-kind="folder"
        data-name={folder.name}
        className={`tree-row ${selected ? 'selected' : ''} ${ctx.dropTarget === folder.id ? 'drop' : ''}`}
        style={{ paddingLeft: 6 + depth * 16 }}
        onClick={() => ctx.select({ kind: 'folder', id: folder.id })}
        onDoubleClick={() => ctx.toggle(folder.id)}
        {...ctx.dragProps(folder.id)}
        {...ctx.dropProps(folder.id)}
      >
        <button
          type="button"
          className="tree-twisty"
          tabIndex={-1}
          aria-label={isOpen ? 'Collapse' : 'Expand'}
          onClick={(event) => {
            event.stopPropagation();
            ctx.toggle(folder.id, !isOpen);
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
      {isOpen ? <ul role="group">{children(ctx, folder.id, depth + 1)}</ul> : null}
    </li>
  );
}

function SiteRow({ ctx, site, depth }: { ctx: TreeContext; site: Site; depth: number }) {
  const selected = ctx.selectedId === site.id;
  const colour = colourOf(site.colour);
  return (
    <li role="none">
      <div
        role="treeitem"
        aria-selected={selected}
        aria-level={depth + 1}
        data-kind="site"
        data-name={site.name}
        className={`tree-row ${selected ? 'selected' : ''}`}
        style={{ paddingLeft: 6 + depth * 16 + 17 }}
        title={`${site.user ? `${site.user}@` : ''}${site.host}:${site.port}`}
        onClick={() => ctx.select({ kind: 'site', id: site.id })}
        onDoubleClick={() => void connectToSite(site)}
        {...ctx.dragProps(site.id)}
        {...ctx.dropProps(site.parentId)}
      >
        <span className="tree-site-icon" style={colour ? { color: colour } : undefined}>
          <Server size={15} />
        </span>
        <span className="tree-name">{site.name}</span>
        {site.mode === 'plain' ? <span className="tree-tag bad">plain</span> : null}
      </div>
    </li>
  );
}

/** Drag a site or folder onto a folder (or the empty tree, for the top level) to move it. */
function useTreeDrag() {
  const [dropTarget, setDropTarget] = useState<string | null | undefined>(undefined);
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
      if (id && id !== folderId) void moveItem(id, folderId);
    },
  });
  return { dropTarget, dragProps, dropProps };
}

/** The folders and sites, filtered by the search; arrows, Enter, F2 and Delete work on it. */
export function SiteTreeView({
  tree,
  query,
  selection,
  onSelect,
  onRename,
  onRemove,
}: {
  tree: SiteTree;
  query: string;
  selection: TreeSelection | undefined;
  onSelect: (selection: TreeSelection) => void;
  onRename: () => void;
  onRemove: () => void;
}) {
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const { dropTarget, dragProps, dropProps } = useTreeDrag();
  const visible = useMemo(() => visibleIds(tree, query), [tree, query]);
  const toggle = (folderId: string, open?: boolean) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (open ?? next.has(folderId)) next.delete(folderId);
      else next.add(folderId);
      return next;
    });

  // Rows in display order, for the keyboard.
  const rows: TreeSelection[] = [];
  const walk = (parentId: string | null) => {
    for (const folder of tree.folders.filter((f) => f.parentId === parentId)) {
      if (visible && !visible.has(folder.id)) continue;
      rows.push({ kind: 'folder', id: folder.id });
      if (!collapsed.has(folder.id) || visible) walk(folder.id);
    }
    for (const site of tree.sites.filter((s) => s.parentId === parentId)) {
      if (visible && !visible.has(site.id)) continue;
      rows.push({ kind: 'site', id: site.id });
    }
  };
  walk(null);

  const selectedSite =
    selection?.kind === 'site' ? tree.sites.find((s) => s.id === selection.id) : undefined;
  const selectedFolder = selection?.kind === 'folder' ? selection.id : undefined;
  const onTreeKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = rows.findIndex((r) => r.id === selection?.id);
    const at = (i: number) => {
      const row = rows[Math.max(0, Math.min(rows.length - 1, i))];
      if (row) onSelect(row);
    };
    if (event.key === 'ArrowDown') at(index + 1);
    else if (event.key === 'ArrowUp') at(index - 1);
    else if (event.key === 'Enter' && selectedSite) void connectToSite(selectedSite);
    else if (event.key === 'F2') onRename();
    else if (event.key === 'Delete') onRemove();
    else if (selectedFolder && (event.key === 'ArrowLeft' || event.key === 'ArrowRight'))
      toggle(selectedFolder, event.key === 'ArrowRight');
    else return;
    event.preventDefault();
  };

  const ctx: TreeContext = {
    tree,
    visible,
    selectedId: selection?.id,
    collapsed,
    dropTarget,
    select: onSelect,
    toggle,
    dragProps,
    dropProps,
  };
  const empty = tree.sites.length === 0 && tree.folders.length === 0;
  const showsRows = !empty && !(visible && visible.size === 0);
  return (
    <div
      className={`site-tree ${dropTarget === null ? 'drop' : ''}`}
      // A tree needs items: with none (no sites yet, no match) this is a plain message area.
      {...(showsRows
        ? { role: 'tree', 'aria-label': 'Sites and folders', tabIndex: 0, onKeyDown: onTreeKey }
        : {})}
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
        <ul role="group">{children(ctx, null, 0)}</ul>
      )}
    </div>
  );
}
