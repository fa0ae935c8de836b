// What a test scripts the hostile server to do (hostile-server.ts carries it out).

export type HostileMode = 'explicit' | 'implicit' | 'plain';

/** What a RETR sends: the bytes, and how the data connection ends. */
export interface RetrPlan {
  content: Buffer;
  /** Send only this many bytes of `content`. */
  cutAfter?: number;
  /** After the bytes (or `cutAfter` of them), keep the data connection open and send nothing. */
  stall?: boolean;
  /** Wait this long after the data connection is up before sending (a slow server). */
  delayMs?: number;
  /** End the TLS data connection with close_notify (default) or with a bare TCP FIN. */
  closeNotify?: boolean;
  /** The final reply after the data (default `226 Transfer complete`); `null` sends none. */
  finalReply?: string | null;
}

/** A hook's answer: a reply to send, `null` to never answer, undefined for the default. */
export type HookAnswer = string | null | undefined;

export interface HostileScript {
  mode?: HostileMode;
  /** FEAT lines (without the leading space). */
  features?: string[];
  /** The virtual file system: absolute path → content. Parent folders exist implicitly. */
  files?: Record<string, Buffer | string>;
  /** Extra (empty) folders. */
  dirs?: string[];
  /** Raw LIST lines per folder, replacing the generated ones. */
  listLines?: Record<string, string[]>;
  /** Raw MLSD lines per folder, replacing the generated ones. */
  mlsdLines?: Record<string, string[]>;
  /** A bare LIST hides dotfiles (as vsftpd does); `LIST -a` shows them. Default true. */
  listHidesDotfiles?: boolean;
  greeting?: string;
  /** Runs before the default handling of every command. */
  on?: (verb: string, arg: string) => HookAnswer;
  /** Decides what RETR of `path` sends (default: the file's bytes, with close_notify). */
  retr?: (path: string, offset: number) => RetrPlan | undefined;
}

export interface HostileServer {
  host: '127.0.0.1';
  port: number;
  mode: HostileMode;
  user: string;
  password: string;
  fingerprint256: string;
  /** Every command received, in order (PASS masked). */
  commands: string[];
  /** The virtual file system after uploads. */
  files: Map<string, Buffer>;
  stop(): Promise<void>;
}
