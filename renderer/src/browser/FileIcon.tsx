import {
  File,
  FileArchive,
  FileAudio,
  FileCode,
  FileImage,
  FileSpreadsheet,
  FileText,
  FileVideo,
  Folder,
  Link2,
  type LucideIcon,
} from 'lucide-react';
import type { RemoteEntry } from '../../../shared/models';

const BY_EXTENSION: Array<[RegExp, LucideIcon, string]> = [
  [/\.(png|jpe?g|gif|webp|svg|bmp|ico|tiff?|heic)$/i, FileImage, 'image'],
  [/\.(mp4|mkv|mov|avi|webm|m4v)$/i, FileVideo, 'video'],
  [/\.(mp3|wav|flac|ogg|m4a|aac)$/i, FileAudio, 'audio'],
  [/\.(zip|tar|gz|tgz|bz2|xz|7z|rar|zst)$/i, FileArchive, 'archive'],
  [/\.(csv|xlsx?|ods|tsv)$/i, FileSpreadsheet, 'sheet'],
  [
    /\.(ts|tsx|js|mjs|cjs|jsx|json|html?|css|scss|py|rb|go|rs|c|h|cpp|java|kt|sh|php|xml|ya?ml|toml|sql)$/i,
    FileCode,
    'code',
  ],
  [/\.(txt|md|log|rtf|pdf|docx?|odt|conf|ini)$/i, FileText, 'text'],
];

export function FileIcon({ entry }: { entry: RemoteEntry }) {
  if (entry.kind === 'dir') return <Folder size={16} className="icon-folder" aria-label="folder" />;
  if (entry.kind === 'link') return <Link2 size={16} className="icon-link" aria-label="link" />;
  for (const [pattern, Icon, tone] of BY_EXTENSION) {
    if (pattern.test(entry.name))
      return <Icon size={16} className={`icon-${tone}`} aria-hidden="true" />;
  }
  return <File size={16} className="icon-file" aria-hidden="true" />;
}
