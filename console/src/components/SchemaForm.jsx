import { useState } from 'preact/hooks';

/**
 * A form generated from a workflow's inputSchema: one control per top-level property (text, number, checkbox, a
 * select for enums, JSON for objects and arrays). Without properties the inputs are one JSON object. `errors` are the
 * start's 400 errors, whose fields are `inputs.<name>`.
 */
export function SchemaForm({ schema, errors = [], onSubmit, submitLabel, busy }) {
  const properties = schema?.properties && typeof schema.properties === 'object' ? schema.properties : null;
  const required = new Set(Array.isArray(schema?.required) ? schema.required : []);
  const [values, setValues] = useState(() => initial(properties));
  const [raw, setRaw] = useState('{}');
  const [local, setLocal] = useState([]);
  const set = (name, value) => setValues((v) => ({ ...v, [name]: value }));
  const errorOf = (name) =>
    [...local, ...errors].filter((e) => e.field === `inputs.${name}` || e.field.startsWith(`inputs.${name}.`));
  const other = errors.filter((e) => !properties || !Object.keys(properties).some((n) => errorOf(n).includes(e)));

  const submit = (event) => {
    event.preventDefault();
    const problems = [];
    let inputs;
    if (properties) {
      inputs = {};
      for (const [name, prop] of Object.entries(properties)) {
        const converted = convert(values[name], prop);
        if (converted.error) problems.push({ field: `inputs.${name}`, message: converted.error });
        else if (converted.value !== undefined) inputs[name] = converted.value;
      }
    } else {
      try {
        inputs = JSON.parse(raw || '{}');
      } catch (e) {
        problems.push({ field: 'inputs', message: `not JSON: ${e.message}` });
      }
    }
    setLocal(problems);
    if (!problems.length) onSubmit(inputs);
  };

  return (
    <form class="schema-form" onSubmit={submit} noValidate>
      {properties ? (
        Object.entries(properties).map(([name, prop]) => (
          <Field
            key={name}
            name={name}
            prop={prop || {}}
            required={required.has(name)}
            value={values[name]}
            onChange={(v) => set(name, v)}
            errors={errorOf(name)}
          />
        ))
      ) : (
        <div class="field">
          <label for="inputs-json">Inputs (JSON object)</label>
          <textarea id="inputs-json" rows={6} value={raw} onInput={(e) => setRaw(e.currentTarget.value)} />
        </div>
      )}
      {other.length > 0 && (
        <ul class="field-errors" role="alert">
          {other.map((e, i) => (
            <li key={i}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}

function Field({ name, prop, required, value, onChange, errors }) {
  const id = `input-${name}`;
  const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== 'null') : prop.type;
  const described = errors.length ? `${id}-error` : prop.description ? `${id}-help` : undefined;
  const common = { id, 'aria-invalid': errors.length > 0, 'aria-describedby': described, name };
  let control;
  if (Array.isArray(prop.enum)) {
    control = (
      <select {...common} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">—</option>
        {prop.enum.map((option) => (
          <option key={String(option)} value={JSON.stringify(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else if (type === 'boolean') {
    control = <input type="checkbox" {...common} checked={value} onChange={(e) => onChange(e.currentTarget.checked)} />;
  } else if (type === 'integer' || type === 'number') {
    control = (
      <input
        type="number"
        step={type === 'integer' ? 1 : 'any'}
        {...common}
        value={value}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
    );
  } else if (type === 'string') {
    control = <input type="text" {...common} value={value} onInput={(e) => onChange(e.currentTarget.value)} />;
  } else {
    control = <textarea rows={3} {...common} value={value} onInput={(e) => onChange(e.currentTarget.value)} />;
  }
  return (
    <div class={`field${type === 'boolean' ? ' field-inline' : ''}`}>
      <label for={id}>
        {prop.title || name}
        {required ? <span class="required"> (required)</span> : ''}
        {type && type !== 'string' ? <span class="type"> {type}</span> : ''}
      </label>
      {control}
      {prop.description && !errors.length && (
        <p id={`${id}-help`} class="hint">
          {prop.description}
        </p>
      )}
      {errors.length > 0 && (
        <p id={`${id}-error`} class="error-text" data-field={`inputs.${name}`}>
          {errors.map((e) => e.message).join('; ')}
        </p>
      )}
    </div>
  );
}

function initial(properties) {
  const values = {};
  for (const [name, prop] of Object.entries(properties || {})) {
    const type = Array.isArray(prop?.type) ? prop.type[0] : prop?.type;
    if (prop && 'default' in prop) {
      values[name] = type === 'boolean' ? Boolean(prop.default) : typeof prop.default === 'string' && !prop.enum ? prop.default : JSON.stringify(prop.default);
    } else values[name] = type === 'boolean' ? false : '';
  }
  return values;
}

/** The control's text as the JSON value the schema asks for; undefined leaves an empty field out of the inputs. */
function convert(value, prop) {
  const type = Array.isArray(prop?.type) ? prop.type.find((t) => t !== 'null') : prop?.type;
  if (type === 'boolean' && !Array.isArray(prop?.enum)) return { value: Boolean(value) };
  if (value === '' || value === undefined) return { value: undefined };
  if (Array.isArray(prop?.enum)) return { value: JSON.parse(value) };
  if (type === 'string') return { value };
  if (type === 'integer' || type === 'number') {
    const number = Number(value);
    if (Number.isNaN(number)) return { error: `'${value}' is not a number` };
    return { value: number };
  }
  try {
    return { value: JSON.parse(value) };
  } catch (e) {
    return { error: `not JSON: ${e.message}` };
  }
}
