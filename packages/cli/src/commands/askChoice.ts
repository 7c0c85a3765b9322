import { createInterface } from 'node:readline/promises';
import type { Choice } from '@splice/core';
import type { Output } from './Output.js';

/**
 * True when the command can prompt: its standard input and standard error are both a terminal.
 *
 * @example
 * ```ts
 * const ask = isTerminal(output) ? (choices) => askChoice(choices, output) : undefined;
 * ```
 */
export function isTerminal(output: Output): boolean {
  const stdin = (output.stdin ?? process.stdin) as NodeJS.ReadableStream & { isTTY?: boolean };
  return stdin.isTTY === true && output.stderr.isTTY === true;
}

/**
 * Asks on the terminal (standard error, standard input) for one of `choices` of a
 * post-authorization step, by number or id. Resolves to the chosen id, or undefined after an
 * empty answer or three unknown ones.
 *
 * @example
 * ```ts
 * const id = await askChoice(instance.pendingChoice.choices, output);
 * ```
 */
export async function askChoice(
  choices: readonly Choice[],
  output: Output,
): Promise<string | undefined> {
  const prompt = createInterface({
    input: output.stdin ?? process.stdin,
    output: output.stderr,
  });
  try {
    choices.forEach((choice, index) => {
      output.stderr.write(`  ${index + 1}) ${choice.label} [${choice.id}]\n`);
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = (await prompt.question('Choose one (number or id, empty to stop): ')).trim();
      if (answer === '') return undefined;
      const byNumber = /^\d+$/.test(answer) ? choices[Number(answer) - 1] : undefined;
      const picked = byNumber ?? choices.find((choice) => choice.id === answer);
      if (picked !== undefined) return picked.id;
      output.stderr.write(`"${answer}" is none of them\n`);
    }
    return undefined;
  } finally {
    prompt.close();
  }
}
