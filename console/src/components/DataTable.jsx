import { href } from '../router.js';

/**
 * A list as a table, the same on every page: named for screen readers by `label`, one header cell per column, one row
 * per item. `columns` are `{ title, cell: (row) => content }`; `rowProps(row)` gives the row's `key` and the `data-*`
 * attributes by which the browser tests find a row.
 */
export function DataTable({ label, columns, rows, rowProps }) {
  return (
    <table class="list" aria-label={label}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column.title}>
              {column.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr {...rowProps(row)}>
            {columns.map((column) => (
              <td key={column.title}>{column.cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An execution's id as the link to its page (the last 12 characters: enough to tell executions apart at a glance). */
export function ExecutionLink({ id }) {
  return (
    <a href={href('executions', id)}>
      <code>{id.slice(-12)}</code>
    </a>
  );
}
