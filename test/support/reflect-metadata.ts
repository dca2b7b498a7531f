// @peculiar/x509 (through tsyringe) needs the Reflect metadata API at load time, and no polyfill package is
// installed. This is the small part of that API it calls; import this module before @peculiar/x509.

type Key = unknown;
type Property = string | symbol | undefined;
const store = new WeakMap<object, Map<Property, Map<Key, unknown>>>();

function ownTable(target: object, property: Property, create: boolean): Map<Key, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty && create) {
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let table = byProperty?.get(property);
  if (!table && create && byProperty) {
    table = new Map();
    byProperty.set(property, table);
  }
  return table;
}

function getOwnMetadata(key: Key, target: object, property?: Property): unknown {
  return ownTable(target, property, false)?.get(key);
}

function getMetadata(key: Key, target: object, property?: Property): unknown {
  for (let current: object | null = target; current; current = Object.getPrototypeOf(current)) {
    const table = ownTable(current, property, false);
    if (table?.has(key)) return table.get(key);
  }
  return undefined;
}

function defineMetadata(key: Key, value: unknown, target: object, property?: Property): void {
  ownTable(target, property, true)?.set(key, value);
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') {
  Object.assign(reflect, {
    getOwnMetadata,
    getMetadata,
    defineMetadata,
    hasMetadata: (key: Key, target: object, property?: Property) =>
      getMetadata(key, target, property) !== undefined,
    hasOwnMetadata: (key: Key, target: object, property?: Property) =>
      getOwnMetadata(key, target, property) !== undefined,
    metadata: (key: Key, value: unknown) => (target: object, property?: Property) =>
      defineMetadata(key, value, target, property),
  });
}
