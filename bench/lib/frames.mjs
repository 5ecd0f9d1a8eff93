// What a "first complete frame" means for each full-screen program, read off the headless terminal:
// the column header, at least one process row under it, and the function-key bar on the last line.

const isRow = (line) => /^\s*\d+\s+\S/.test(line ?? '');

/** htop: "PID USER …" header, a process row under it, "F10Quit" on the bottom line. */
export function htopFrameComplete(lines) {
  const h = lines.findIndex((l) => /^\s*PID USER/.test(l));
  return h >= 0 && isRow(lines[h + 1]) && /F10Quit/.test(lines[lines.length - 1]);
}

/** cntop: a header naming PID and Command, a process row under it, the key bar (…Quit) at the bottom. */
export function cntopFrameComplete(lines) {
  const h = lines.findIndex((l) => /\bPID\b/.test(l) && /command/i.test(l));
  const bottom = lines.slice(-2).join(' ');
  return h >= 0 && isRow(lines[h + 1]) && /quit/i.test(bottom);
}

/** Isolated config dirs, so that htop neither reads the user's htoprc nor writes one on exit. */
export function isolatedHome(dir) {
  return { HOME: dir, XDG_CONFIG_HOME: dir };
}
