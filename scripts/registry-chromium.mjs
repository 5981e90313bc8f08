// Prints the path of the Chromium that ships inside the `@sparticuz/chromium` npm package,
// unpacking it first (to the system's temporary folder; it is reused while it is there).
// The e2e config calls this where no system Chromium is installed, so a newcomer's `npm test`
// needs nothing beyond the README's setup command.
import chromium from '@sparticuz/chromium';

try {
  process.stdout.write(await chromium.executablePath());
} catch (error) {
  process.stderr.write(`the registry Chromium (@sparticuz/chromium) could not be unpacked: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
