/**
 * A secret kept in a file only its owner can read: `tce dashboard --token-file` (this server's token) and each remote
 * machine's `tokenFile` (another server's). One rule for both: a regular file of mode 600 or stricter, owned by the
 * user who runs TCE, not empty; anything looser is refused, since the point of the file is that no one else sees it.
 */
import fs from 'node:fs';

/** Why a token file cannot be used; its message names the file and what to do, never the token. */
export class TokenFileError extends Error {
  override name = 'TokenFileError';
}

/** The token in `file`, trimmed of surrounding whitespace; `what` names the file in messages (`--token-file x`). */
export function readTokenFile(file: string, what = `token file ${file}`): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TokenFileError(code === 'ENOENT' ? `${what} does not exist` : `cannot read ${what}: ${(error as Error).message}`);
  }
  if (!st.isFile()) throw new TokenFileError(`${what} is not a regular file`);
  const myUid = typeof process.getuid === 'function' ? process.getuid() : null;
  if (process.platform !== 'win32') {
    if ((st.mode & 0o077) !== 0) throw new TokenFileError(`${what} can be read by other users (mode ${(st.mode & 0o777).toString(8)}); run \`chmod 600 ${file}\` first`);
    if (myUid !== null && st.uid !== myUid) throw new TokenFileError(`${what} belongs to another user (uid ${st.uid})`);
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new TokenFileError(`cannot read ${what}: ${(error as Error).message}`);
  }
  if (text === '') throw new TokenFileError(`${what} is empty`);
  return text;
}
