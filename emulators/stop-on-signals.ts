/** Closes a standalone emulator on Ctrl-C or SIGTERM and ends the process cleanly. */
export function stopOnSignals(server: { close(): Promise<void> }): void {
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
