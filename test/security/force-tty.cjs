// Preloaded (`node --require`) into a CLI child process by the security suite: makes its piped stdout look like a
// terminal, so the CLI takes its TTY path (cli-progress bars with cursor movements) while the test still reads
// every byte it writes.
process.stdout.isTTY = true;
process.stdout.columns = 120;
process.stdout.rows = 40;
