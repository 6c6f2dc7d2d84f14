// Fake of the parts of Electron that src/main uses. Filled in with the tray app (see test/main).
export const app = {
  getName: () => 'TCE',
};
export default { app };
