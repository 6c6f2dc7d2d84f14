import { useEffect, useState, type FormEvent } from 'react';
import type { Settings, SettingsPatch } from '../../shared/api.js';
import type { DashboardApi } from '../api/dashboard-api.js';
import { formatDateTime } from '../model/format.js';
import { useNow } from '../hooks.js';
import { NUMBER_FIELDS, PLAN_PERCENTS, SWITCHES, formFrom, patchFrom, type FormValues } from '../model/settings-form.js';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; settings: Settings };

/** Poll interval, health thresholds, notification switches: read from and saved through the same API as actions. */
export function SettingsTab({ api }: { api: DashboardApi | null }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const now = useNow(30_000);

  useEffect(() => {
    if (!api) return;
    let cancelled = false;
    api.getSettings().then(
      (settings) => {
        if (cancelled) return;
        setLoad({ state: 'ready', settings });
        setValues(formFrom(settings));
      },
      (error: Error) => !cancelled && setLoad({ state: 'error', message: error.message || 'The settings could not be read.' }),
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  if (!api || load.state === 'error') {
    return (
      <div className="empty error" role="alert" data-testid="settings-error">
        <h2>Settings unavailable</h2>
        <p>{load.state === 'error' ? load.message : 'This dashboard has no connection to TCE.'}</p>
      </div>
    );
  }
  if (load.state === 'loading') {
    return (
      <div className="empty" aria-busy="true">
        Loading settings…
      </div>
    );
  }
  const saved = load.settings;
  const original = formFrom(saved);
  const dirty = Object.keys(original).some((key) => String(values[key]).trim() !== String(original[key]));

  const save = (change: SettingsPatch) => {
    setSaving(true);
    api.updateSettings(change).then(
      (settings) => {
        setSaving(false);
        setLoad({ state: 'ready', settings });
        setValues(formFrom(settings));
        setOutcome({ ok: true, message: 'Settings saved.' });
      },
      (error: Error) => {
        setSaving(false);
        setOutcome({ ok: false, message: error.message || 'The settings could not be saved.' });
      },
    );
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const checked = patchFrom(values, saved);
    setErrors(checked.errors);
    setOutcome(null);
    if (Object.keys(checked.errors).length > 0) return;
    if (Object.keys(checked.patch).length === 0) {
      setValues(formFrom(saved));
      setOutcome({ ok: true, message: 'Nothing changed.' });
      return;
    }
    save(checked.patch);
  };

  const field = (f: (typeof NUMBER_FIELDS)[number]) => (
    <div className="form-row" key={f.key}>
      <label htmlFor={`setting-${f.key}`}>{f.label}</label>
      <span className="form-input">
        <input
          id={`setting-${f.key}`}
          type="number"
          inputMode="decimal"
          step={f.integer ? 1 : 'any'}
          min={f.min}
          max={f.max}
          value={String(values[f.key] ?? '')}
          aria-invalid={errors[f.key] ? true : undefined}
          aria-describedby={errors[f.key] ? `setting-${f.key}-error` : undefined}
          onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
        />
        {f.unit ? <span className="muted">{f.unit}</span> : null}
      </span>
      {errors[f.key] ? (
        <span className="field-error" id={`setting-${f.key}-error`}>
          {errors[f.key]}
        </span>
      ) : null}
    </div>
  );
  const byKey = (keys: string[]) => NUMBER_FIELDS.filter((f) => keys.includes(f.key)).map(field);

  return (
    <form className="settings" onSubmit={onSubmit} aria-label="Settings" noValidate>
      <fieldset className="panel">
        <legend>Polling</legend>
        {byKey(['poll'])}
      </fieldset>
      <fieldset className="panel">
        <legend>Health</legend>
        {byKey(['staleInteractive', 'staleBackground', 'idleCpu', 'hogCpu', 'hogMemory'])}
      </fieldset>
      <fieldset className="panel">
        <legend>Notifications (tray app)</legend>
        {SWITCHES.filter((s) => s.key.startsWith('notify')).map((s) => (
          <label className="form-check" key={s.key}>
            <input type="checkbox" checked={values[s.key] === true} onChange={(e) => setValues((v) => ({ ...v, [s.key]: e.target.checked }))} />
            {s.label}
          </label>
        ))}
        {byKey(['cooldown'])}
        <div className="form-row">
          <label htmlFor={`setting-${PLAN_PERCENTS.key}`}>{PLAN_PERCENTS.label}</label>
          <span className="form-input">
            <input
              id={`setting-${PLAN_PERCENTS.key}`}
              type="text"
              inputMode="decimal"
              value={String(values[PLAN_PERCENTS.key] ?? '')}
              aria-invalid={errors[PLAN_PERCENTS.key] ? true : undefined}
              aria-describedby={errors[PLAN_PERCENTS.key] ? `setting-${PLAN_PERCENTS.key}-error` : undefined}
              onChange={(e) => setValues((v) => ({ ...v, [PLAN_PERCENTS.key]: e.target.value }))}
            />
            <span className="muted">{PLAN_PERCENTS.unit}</span>
          </span>
          {errors[PLAN_PERCENTS.key] ? (
            <span className="field-error" id={`setting-${PLAN_PERCENTS.key}-error`}>
              {errors[PLAN_PERCENTS.key]}
            </span>
          ) : null}
        </div>
        {saved.notifications.pausedUntil && Date.parse(saved.notifications.pausedUntil) > now ? (
          <p className="muted" data-testid="notifications-paused">
            Paused until {formatDateTime(saved.notifications.pausedUntil)} (from the tray menu).{' '}
            <button type="button" disabled={saving} onClick={() => save({ notifications: { pausedUntil: null } as Settings['notifications'] })}>
              Resume now
            </button>
          </p>
        ) : null}
      </fieldset>
      <fieldset className="panel">
        <legend>Dashboard and tray</legend>
        {byKey(['port'])}
        {SWITCHES.filter((s) => !s.key.startsWith('notify')).map((s) => (
          <label className="form-check" key={s.key}>
            <input type="checkbox" checked={values[s.key] === true} onChange={(e) => setValues((v) => ({ ...v, [s.key]: e.target.checked }))} />
            {s.label}
          </label>
        ))}
        <p className="muted">A new port applies the next time the dashboard starts.</p>
      </fieldset>
      <fieldset className="panel" data-testid="settings-remotes">
        <legend>Remote machines</legend>
        {saved.remotes.length === 0 ? (
          <p className="muted">None: this dashboard shows this machine only.</p>
        ) : (
          <ul className="compact-list">
            {saved.remotes.map((r) => (
              <li key={r.name}>
                <strong>{r.name}</strong> <span className="mono-inline">{r.url}</span>
                {r.trustedLink ? <span className="muted"> (plain http over a link said to be private)</span> : null}
              </li>
            ))}
          </ul>
        )}
        <p className="muted">
          Added and removed with <code>tce remote add NAME URL --token-file FILE</code> and <code>tce remote remove NAME</code> on this machine, never from a page: each one&apos;s token file is read here.
        </p>
      </fieldset>
      <div className="toolbar">
        <button type="submit" className="primary" disabled={!dirty || saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" disabled={!dirty || saving} onClick={() => (setValues(formFrom(saved)), setErrors({}), setOutcome(null))}>
          Undo changes
        </button>
        {outcome ? (
          <span role={outcome.ok ? 'status' : 'alert'} className={outcome.ok ? 'form-ok' : 'field-error'} data-testid="settings-outcome">
            {outcome.message}
          </span>
        ) : null}
      </div>
    </form>
  );
}
