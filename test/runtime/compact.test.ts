import { describe, expect, it } from 'vitest';
import { namespaceAccountsKey } from '../../src/model/inventory.ts';
import { exact, stringPool, valuePool } from '../../src/runtime/compact.ts';

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

  it('gives back the first value it was handed for each key, and a value of a new key as it is', () => {
    // Prepare: namespaces' lists of service accounts, two of them the same names built apart
    const pool = valuePool(namespaceAccountsKey);
    const first = { namespace: 'kube-system', names: ['aws-node', 'coredns'] };
    const same = { namespace: 'kube-system', names: ['aws-node', 'coredns'] };
    const otherNamespace = { namespace: 'default', names: ['aws-node', 'coredns'] };
    const joinedName = { namespace: 'kube-system', names: ['aws-node","coredns'] };

    // Act
    const held = [first, same, otherNamespace, joinedName].map(pool);

    // Assess: only the same namespace and names give back the first; no joining of names makes another key equal
    expect(held[0]).toBe(first);
    expect(held[1]).toBe(first);
    expect(held[2]).toBe(otherNamespace);
    expect(held[3]).toBe(joinedName);
  });
});
