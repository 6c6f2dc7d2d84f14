// The floors of a cold read, as separate Node programs run by the usage benchmark: `read` reads every transcript
// (128 KiB synchronous reads) and does nothing else; `newline` also finds every line end. No Node program reading
// these files gets under them. argv: <read|newline> <claude dir>.
import fs from 'node:fs';
import path from 'node:path';

const [mode, claude] = process.argv.slice(2) as [string, string];
const files: string[] = [];
const walk = (dir: string): void => {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) walk(full);
    else if (d.name.endsWith('.jsonl')) files.push(full);
  }
};
walk(path.join(claude, 'projects'));
const buf = Buffer.allocUnsafe(128 * 1024);
let bytes = 0;
let lines = 0;
for (const file of files) {
  const fd = fs.openSync(file, 'r');
  for (let position = 0; ; ) {
    const n = fs.readSync(fd, buf, 0, buf.length, position);
    if (n === 0) break;
    position += n;
    bytes += n;
    if (mode === 'newline') for (let i = buf.indexOf(10); i !== -1 && i < n; i = buf.indexOf(10, i + 1)) lines++;
  }
  fs.closeSync(fd);
}
process.stdout.write(`${JSON.stringify({ files: files.length, bytes, lines })}\n`);
