/** The store file (or a file beside it) cannot be created or opened; the message names the path and the reason. */
export class StoreFileError extends Error {
  readonly code = 'STORE_FILE';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot open store file ${path}: ${reasonOf(cause)}`, { cause });
    this.name = 'StoreFileError';
  }
}

function reasonOf(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `permission denied (${e.message ?? e.code})`;
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'EISDIR':
      return 'it is a directory, not a file';
    default:
      return e?.message ?? String(err);
  }
}
