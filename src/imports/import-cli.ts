import { runImportCommand } from './import-command.js';

// `npm run import`: the command of import-command.ts as a process, its result the exit code.
process.exitCode = await runImportCommand(process.argv.slice(2), process.env);
