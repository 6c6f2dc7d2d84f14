/** TCE's version, as package.json names it (test/core/version.test.ts keeps the two equal): `tce --version`, build info. */
export const TCE_VERSION = '0.1.0';
