/**
 * A password for the command line, never from argv (it would stay in the shell history and `ps`): typed twice
 * at a hidden prompt on a terminal, or the first line of stdin when piped (a second line, if given, must match).
 */
import readline from 'node:readline';

export async function readNewPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return fromStdin();
  const first = await hidden(`${prompt}: `);
  const second = await hidden('再次输入: ');
  if (first !== second) throw new Error('两次输入的密码不一致');
  return first;
}

async function fromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const [first = '', second] = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  if (second !== undefined && second !== '' && second !== first) throw new Error('两次输入的密码不一致');
  return first;
}

function hidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    // echo nothing of what is typed: readline writes each key through _writeToOutput
    const muted = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stdout.write(question);
    muted._writeToOutput = () => {};
    rl.question('', (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}
