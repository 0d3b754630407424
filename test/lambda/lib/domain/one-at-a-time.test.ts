import { describe, expect, it } from 'vitest';
import { oneAtATime } from '../../../../lambda/lib/domain/one-at-a-time.js';

describe('oneAtATime', () => {
  it('starts each task only once the one before has settled, in call order', async () => {
    // Arrange
    const turn = oneAtATime();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`end ${name}`);
      return name;
    };

    // Act
    const results = await Promise.all([
      turn(task('a', 20)),
      turn(task('b', 1)),
      turn(task('c', 5)),
    ]);

    // Assert
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it("hands a task's failure to its caller and runs the next task all the same", async () => {
    // Arrange
    const turn = oneAtATime();

    // Act
    const failed = turn(async () => {
      throw new Error('store unreachable');
    });
    const next = turn(async () => 'next ran');

    // Assert
    await expect(failed).rejects.toThrow('store unreachable');
    await expect(next).resolves.toBe('next ran');
  });
});
