/** Entry of the `tce` command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('Usage: tce <command> [options]\n');
    return 0;
  }
  process.stderr.write(`tce: unknown command '${argv[0]}'. Run \`tce --help\`.\n`);
  return 2;
}
