// Module resolution hook: `electron` resolves to the fake beside this file, so main-process code runs under Node.
const fake = new URL('./electron.js', import.meta.url).href;

type Resolve = (specifier: string, context: unknown, next: (specifier: string, context: unknown) => unknown) => unknown;

export const resolve: Resolve = (specifier, context, next) => {
  if (specifier === 'electron') return { url: fake, shortCircuit: true, format: 'module' };
  return next(specifier, context);
};
