import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_REMOTES, normaliseSettings, settingsPatchProblems } from '../../../src/core/settings/schema.js';

const remote = (over: Record<string, unknown> = {}) => ({ name: 'devbox', url: 'http://127.0.0.1:15111', tokenFile: '/home/u/.config/devbox.token', ...over });

test('remote machines: kept one by one, URLs written one way, plain http only on loopback or over a trusted link', () => {
  const { settings, problems } = normaliseSettings({
    remotes: [
      remote(),
      remote({ name: 'ci-runner.2', url: 'https://ci.example:8443/tce', tokenFile: 'C:\\Users\\u\\ci.token' }),
      remote({ name: 'vpn', url: 'http://10.8.0.2:5111', trustedLink: true }),
      remote({ name: 'lan', url: 'http://192.168.1.20:5111' }),
      remote({ name: 'Devbox', url: 'http://[::1]:15112' }),
      remote({ name: '' }),
      remote({ name: 'x'.repeat(33) }),
      remote({ name: 'rel', tokenFile: 'devbox.token' }),
      remote({ name: 'ftp', url: 'ftp://devbox/' }),
      remote({ name: 'query', url: 'https://devbox/?token=abc' }),
      remote({ name: 'creds', url: 'https://me:secret@devbox/' }),
      remote({ name: 'flag', trustedLink: 'yes' }),
      'devbox',
    ],
  });
  assert.deepEqual(settings.remotes, [
    { name: 'devbox', url: 'http://127.0.0.1:15111/', tokenFile: '/home/u/.config/devbox.token', trustedLink: false },
    { name: 'ci-runner.2', url: 'https://ci.example:8443/tce/', tokenFile: 'C:\\Users\\u\\ci.token', trustedLink: false },
    { name: 'vpn', url: 'http://10.8.0.2:5111/', tokenFile: '/home/u/.config/devbox.token', trustedLink: true },
  ]);
  const said = problems.join('\n');
  assert.match(said, /remotes: "lan": http:\/\/192\.168\.1\.20:5111 is plain http beyond this machine/);
  assert.match(said, /remotes: the name "Devbox" is given twice; the second is left out/);
  assert.match(said, /remotes\[5\]: a name must be 1 to 32 letters/);
  assert.match(said, /remotes: "x{33}": a name must be/);
  assert.match(said, /remotes: "rel": tokenFile must be the absolute path/);
  assert.match(said, /remotes: "ftp": ftp:\/\/devbox\/ must be an http or https URL/);
  assert.match(said, /remotes: "query": .*without \?query or #fragment/);
  assert.match(said, /remotes: "creds": devbox: put no user or password in the URL/);
  assert.match(said, /remotes: "flag": trustedLink must be true or false/);
  assert.match(said, /remotes\[12\] must be an object/);
  assert.ok(!said.includes('secret') && !said.includes('token=abc'), 'a problem never repeats a secret from the URL');
});

test(`remote machines: at most ${MAX_REMOTES}, and never changed by a settings patch`, () => {
  const many = Array.from({ length: MAX_REMOTES + 2 }, (_, i) => remote({ name: `m${i}` }));
  const { settings, problems } = normaliseSettings({ remotes: many });
  assert.equal(settings.remotes.length, MAX_REMOTES);
  assert.match(problems.join('\n'), new RegExp(`at most ${MAX_REMOTES} remote machines`));
  assert.deepEqual(settingsPatchProblems({ remotes: [remote()] }), [
    "'remotes' cannot be changed by a settings patch: add and remove them with `tce remote` on this machine, where their token files are",
  ]);
});
