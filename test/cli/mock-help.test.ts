// `coveton mock --help` and the testing guide describe the seed the mock starts with as it is:
// the help said "two devices" where the seeded chat has four, two of Ada's and two of Bob's, as
// docs/guides/testing-with-the-mock.md lists them (new-user review finding 15). The help stays a
// literal (--help loads no mock code: test/cli/bin.test.ts), so this test holds it to the seed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultSeed, SEED } from '../../src/mock/seed-data.js';
import { ROOT, runProgram } from './helpers.js';

const seed = defaultSeed();
const chat = seed.chats!.find((row) => row.id === SEED.chatId)!;
const participants = chat.participants as { userId: string; deviceIds: string[] }[];
/** What a reader needs to use the quickstart's chat: its id, each participant's sign-in and devices. */
const facts = [
  SEED.chatId,
  SEED.organizationId,
  ...participants.flatMap((p) => {
    const user = seed.users!.find((row) => row.id === p.userId)!;
    return [user.email as string, user.password as string, ...p.deviceIds];
  }),
];

describe('the seed the mock starts with', () => {
  it('has the chat of Ada and Bob, with two devices each', () => {
    expect(participants.map((p) => p.deviceIds)).toEqual([['dev_a1', 'dev_b2'], [...SEED.bob.deviceIds]]);
    expect(facts).toHaveLength(2 + 2 * 4);
  });

  it('is named whole by `coveton mock --help`, and says no device count of its own', async () => {
    const help = (await runProgram(['mock', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(facts.filter((fact) => !help.includes(fact))).toEqual([]);
    expect(help).not.toMatch(/\b(one|two|three|four) devices\b/);
  });

  it('is named whole by the testing guide', () => {
    const guide = readFileSync(`${ROOT}docs/guides/testing-with-the-mock.md`, 'utf8').replace(/\s+/g, ' ');
    expect(facts.filter((fact) => !guide.includes(fact))).toEqual([]);
  });
});
