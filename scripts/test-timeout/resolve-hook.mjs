// Module resolve hook: `node:test` imported by anything but our own wrapper resolves to the
// wrapper, so the test files need no change to get a per-test timeout.
const wrapper = new URL('./node-test.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if ((specifier === 'node:test' || specifier === 'test') && context.parentURL !== wrapper) {
    return { url: wrapper, shortCircuit: true };
  }
  return next(specifier, context);
}
