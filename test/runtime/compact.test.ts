import { describe, expect, it } from 'vitest';
import { exact, stringPool } from '../../src/runtime/compact.ts';

describe('compact storage', () => {
  it('copies an array to a new one with the same elements', () => {
    // Prepare
    const grown: number[] = [];
    for (let i = 0; i < 3; i++) grown.push(i);

    // Act
    const copy = exact(grown);

    // Assess
    expect(copy).toEqual([0, 1, 2]);
    expect(copy).not.toBe(grown);
  });

  it('gives back the first string it was handed for each distinct text, and the text itself for a new one', () => {
    // Prepare: two strings of the same text, built apart
    const pool = stringPool();
    const first = ['kube', 'system'].join('-');
    const second = `kube-${'system'}`;

    // Act
    const a = pool(first);
    const b = pool(second);
    const c = pool('default');

    // Assess: equal texts are one value; what JavaScript can observe of strings is their text
    expect([a, b, c]).toEqual(['kube-system', 'kube-system', 'default']);
  });
});
