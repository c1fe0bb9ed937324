import type { PrintSlipInput } from '../../../shared/printing';
import { printSlipInShell } from '../receipt';

/**
 * A bedside slip (住院结算单, 中途结算单) silently on the laptop's printer through the Electron shell, as the window's
 * receipt prints; outside the shell (the loopback host) the core prints it where it has a printer of its own.
 */
export async function printInShellFirst(slip: PrintSlipInput, say: (words: string) => void, viaCore: () => unknown): Promise<void> {
  const inShell = await printSlipInShell(window, slip);
  if (inShell) say('ok' in inShell ? inShell.ok : inShell.warn);
  else viaCore();
}
