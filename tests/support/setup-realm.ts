// Jest runs tests in a separate realm; objects cloned by Node's outer-realm structuredClone fail
// `instanceof Object` checks inside it (Style Dictionary relies on them). Clone inside this realm.
import v8 from 'node:v8';

globalThis.structuredClone = ((value: unknown) => v8.deserialize(v8.serialize(value))) as typeof structuredClone;
