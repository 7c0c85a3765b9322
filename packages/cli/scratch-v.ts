import { validateCommand } from './src/commands/validateCommand.ts';

process.exitCode = await validateCommand(process.argv[2]!, {
  stdout: process.stdout,
  stderr: process.stderr,
});
